import { createHash } from 'node:crypto';

const md5Upper = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

/** Real-time query sign (API-FACTS §11): UPPER(MD5(param + key + customer)) over the exact `param` sent. */
export function kuaidi100QuerySign(param: string, key: string, customer: string): string {
  return md5Upper(param + key + customer);
}

/** Push sign: UPPER(MD5(param + salt)), with the salt given when subscribing. */
export function kuaidi100PushSign(param: string, salt: string): string {
  return md5Upper(param + salt);
}
