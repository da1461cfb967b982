import { Alert } from 'antd';
import { useLocale } from '../i18n/locale';

/**
 * A page refreshed every few seconds whose latest refresh failed (a busy or restarting server)
 * keeps what it showed, and any dialog a person is typing in, under this line: replacing the page
 * with the error would close the dialog and lose the input over a blip the next refresh mends.
 */
export function RefreshFailed({ error }: { error: Error | null }) {
  const { t } = useLocale();
  if (!error) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      data-testid="refresh-failed"
      title={t('common.refreshFailed')}
      description={error.message}
    />
  );
}
