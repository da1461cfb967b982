import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../auth/session';
import { api, ApiError, formFieldName } from '../client/client';
import type { OrderState } from '../client/types';
import { exceptionDetailZh } from '../i18n/exceptions';
import { useLocale } from '../i18n/locale';
import { PendingNote, useAnswerLater, type AnswerLater } from './AnswerLater';
import { Time } from './format';

type Parcel = NonNullable<OrderState['parcels']>[number];
type Choice = 'reship' | 'refund';

/**
 * Lost parcels of an order (docs/order-semantics.md, "A lost parcel is reshipped or refunded"): how
 * each was declared lost and, until someone decides, 补发 reship / 退款 refund with a reason — for
 * the roles the API lets decide (customer service, ops). Decided, it shows who chose what. A decision
 * on a busy system shows 处理中 until its outcome comes — also when the order's live state (and so
 * the parcels) is lost meanwhile — and applies once.
 */
export function LostParcels({ orderId, parcels }: { orderId: string; parcels: Parcel[] }) {
  const { t, code, language } = useLocale();
  const session = useSession();
  const mayDecide = session.can('POST', '/orders/:id/lost-parcels/:parcelId');
  const [deciding, setDeciding] = useState<{ parcelId: string; decision: Choice } | null>(null);
  const later = useAnswerLater();
  const lost = parcels.filter((p) => p.lost);
  const modal = deciding && (
    <DecideModal orderId={orderId} {...deciding} later={later} onClose={() => setDeciding(null)} />
  );
  // The dialog stays where it is when the parcels go (the live state lost on a busy worker): moved,
  // it would open anew, empty and no longer waiting for the decision it sent.
  if (lost.length === 0) {
    return (
      <>
        <PendingNote text={later.pending} />
        {modal}
      </>
    );
  }
  return (
    <>
      <Card size="small" title={t('lost.title')} data-testid="lost-parcels">
        <PendingNote text={later.pending} />
        <Space direction="vertical" style={{ width: '100%' }}>
          {lost.map(({ parcelId, carrier, trackingNumber, lost: l }) => (
            <div key={parcelId} data-testid={`lost-${parcelId}`}>
              <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                <Descriptions.Item label={t('warehouse.parcel')}>
                  <Space wrap>
                    {parcelId}
                    {carrier && <Tag>{carrier}</Tag>}
                    {trackingNumber}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('lost.declaredBy')}>
                  <Tag color="red">{t(`lost.by.${l!.declaredBy}`)}</Tag>
                  <Time at={l!.since} />
                </Descriptions.Item>
                {l!.reason && (
                  <Descriptions.Item label={t('lost.why')}>
                    {/* The carrier's or the tracking check's words in their Chinese frame; a person's as written. */}
                    {language === 'zh' ? exceptionDetailZh(l!.reason) : l!.reason}
                  </Descriptions.Item>
                )}
              </Descriptions>
              {l!.decision ? (
                <Alert
                  type={l!.decision === 'refund' && !l!.refunded ? 'warning' : 'success'}
                  showIcon
                  title={
                    <Space wrap>
                      <Typography.Text strong>{t(`lost.${l!.decision}`)}</Typography.Text>
                      {l!.decidedBy}
                      <Time at={l!.decidedAt} />
                      {l!.note}
                      {l!.decision === 'refund' && (
                        <Tag color={l!.refunded ? 'green' : 'orange'}>
                          {l!.refunded ? code('refunded') : t('lost.awaitingRefund')}
                        </Tag>
                      )}
                    </Space>
                  }
                />
              ) : mayDecide ? (
                <Space>
                  <Button type="primary" onClick={() => setDeciding({ parcelId, decision: 'reship' })}>
                    {t('lost.reship')}
                  </Button>
                  <Button danger onClick={() => setDeciding({ parcelId, decision: 'refund' })}>
                    {t('lost.refund')}
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('lost.notYourRole')}</Typography.Text>
              )}
            </div>
          ))}
        </Space>
      </Card>
      {modal}
    </>
  );
}

function DecideModal({
  orderId,
  parcelId,
  decision,
  later,
  onClose,
}: {
  orderId: string;
  parcelId: string;
  decision: Choice;
  later: AnswerLater;
  onClose: () => void;
}) {
  const { t, errorText, issueText } = useLocale();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (reason: string) =>
      later.run((headers) =>
        api.POST('/orders/{id}/lost-parcels/{parcelId}', {
          params: { path: { id: orderId, parcelId } },
          headers,
          body: { decision, reason },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['order', orderId] });
      onClose();
    },
    onError: (err) => {
      if (err instanceof ApiError && err.problem.issues?.length) {
        form.setFields(
          err.problem.issues.map((i) => ({ name: formFieldName(i.field) as never, errors: [issueText(i)] })),
        );
        setProblem(null);
      } else setProblem(errorText(err));
    },
  });
  return (
    <Modal
      open
      title={`${t(`lost.${decision}`)} · ${parcelId}`}
      okText={t(`lost.${decision}`)}
      okButtonProps={{ loading: decide.isPending, danger: decision === 'refund' }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t(`lost.${decision}Help`)}</Typography.Paragraph>
      <PendingNote text={later.pending} />
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 8 }} />}
      {/* Named: the order page's lock form has a reason field too, and ids must not collide. */}
      <Form form={form} name="lost-parcel" layout="vertical" onFinish={(v) => decide.mutate(v.reason ?? '')}>
        <Form.Item label={t('lost.reason')} name="reason">
          <Input.TextArea autoFocus rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
