import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, message, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useSession } from '../../auth/session';
import { api, ApiError, ok } from '../../client/client';
import { useLocale } from '../../i18n/locale';

/**
 * Visitors per shop and day as the platforms' back offices export them (CSV shop_id,day,visitors
 * [,page_views]), uploaded with PUT /reports/traffic so conversion can be computed. The API's
 * refusal names the line; nothing is stored then.
 */
export function TrafficUpload() {
  const { t, errorText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [problems, setProblems] = useState<string[]>([]);
  const upload = useMutation({
    mutationFn: (csv: Blob) =>
      ok(
        api.PUT('/reports/traffic', {
          body: csv as unknown as string,
          bodySerializer: (b: unknown) => b as string,
          headers: { 'content-type': 'text/csv' },
        }),
      ),
    onSuccess: async (saved) => {
      setProblems([]);
      void message.success(t('reports.trafficStored', { n: saved.stored }));
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    },
    onError: (err) =>
      setProblems(
        err instanceof ApiError && err.problem.issues?.length
          ? err.problem.issues.map((i) =>
              /^body\.\d+$/.test(i.field)
                ? t('reports.trafficLine', { line: i.field.slice(5), problem: i.problem })
                : i.problem,
            )
          : [errorText(err)],
      ),
  });
  if (!session.can('PUT', '/reports/traffic')) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Upload
          accept=".csv,.txt,text/csv"
          showUploadList={false}
          beforeUpload={(file) => {
            upload.mutate(file);
            return false;
          }}
        >
          <Button loading={upload.isPending}>{t('reports.trafficUpload')}</Button>
        </Upload>
        <Typography.Text type="secondary">{t('reports.trafficHelp')}</Typography.Text>
      </Space>
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="traffic-problems"
          message={
            <ul style={{ margin: 0, paddingInlineStart: 16 }}>
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
    </Space>
  );
}
