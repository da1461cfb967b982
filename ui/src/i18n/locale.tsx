import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import relativeTime from 'dayjs/plugin/relativeTime';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../client/client';
import { alertMessageZh, alertText } from './alerts';
import { channelNames } from './channels';
import { exceptionText } from './exceptions';
import { codes, en, zh, type MessageKey } from './messages';
import { describeIssue, describeProblem, type IssueLike } from './problems';
import { describeWaiting, type WaitingLike } from './waiting';

dayjs.extend(relativeTime);

export type Language = 'zh' | 'en';
const STORAGE_KEY = 'erp.lang';

interface LocaleValue {
  language: Language;
  setLanguage(language: Language): void;
  /** A UI message, `{name}` filled from `vars`. */
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A code the API sent (status, hold reason, role, …) in words; unknown codes as sent. */
  code(value: string | null | undefined): string;
  /** A sales channel by its name (a platform code that is also another code, e.g. `vip`, is the channel here). */
  platform(value: string | null | undefined): string;
  /** A failed request in words: the API's refusal by its code, anything else as it was thrown. */
  errorText(err: unknown): string;
  /** One field's problem from the API, for the form item it names. */
  issueText(issue: IssueLike): string;
  /** What an order, parcel or case waits for (its `waiting` code, else the API's sentence); null: nothing. */
  waitingText(state: { waiting?: WaitingLike | null; waitingFor: string | null }): string | null;
  /** An ops alert: in Chinese what it means and what to do, then its particulars in Chinese. */
  alertText(kind: string, message: string): string;
  /** An alert's particulars alone (the account, parcel or order and what to do, where the system says it). */
  alertDetail(kind: string, message: string): string;
}

const LocaleContext = createContext<LocaleValue | null>(null);

function applyDayjs(language: Language) {
  dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
}

/** Chinese by default; English when chosen (remembered in this browser). */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(() => {
    const stored = localStorage.getItem(STORAGE_KEY);
    const initial: Language = stored === 'en' ? 'en' : 'zh';
    applyDayjs(initial);
    return initial;
  });
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    applyDayjs(next);
    setState(next);
  }, []);
  const value = useMemo<LocaleValue>(() => {
    const dictionary = language === 'zh' ? zh : en;
    const name = (value: string) => channelNames[language][value] ?? codes[language][value] ?? value;
    const alertWords = {
      code: name,
      exception: (kind: string, detail: string) => exceptionText(kind, detail, 'zh'),
    };
    return {
      language,
      setLanguage,
      t: (key, vars) =>
        (dictionary[key] as string).replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? '')),
      code: (value) => (value ? (codes[language][value] ?? value.replace(/_/g, ' ')) : ''),
      platform: (value) =>
        value ? (channelNames[language][value] ?? codes[language][value] ?? value.replace(/_/g, ' ')) : '',
      errorText: (err) =>
        err instanceof ApiError
          ? describeProblem(err.problem, language, (value) => codes[language][value] ?? value)
          : err instanceof Error
            ? err.message
            : String(err),
      issueText: (issue) => describeIssue(issue, language),
      waitingText: (state) =>
        describeWaiting(
          state.waiting,
          state.waitingFor,
          language,
          (value) => codes[language][value] ?? value,
        ),
      alertText: (kind, message) => alertText(kind, message, language, alertWords),
      alertDetail: (kind, message) =>
        language === 'zh' ? alertMessageZh(kind, message, alertWords) : message,
    };
  }, [language, setLanguage]);
  return (
    <LocaleContext.Provider value={value}>
      {/* No space forced between two Chinese characters on buttons: 登录 reads as one word. */}
      <ConfigProvider locale={language === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }}>
        {children}
      </ConfigProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale outside LocaleProvider');
  return value;
}
