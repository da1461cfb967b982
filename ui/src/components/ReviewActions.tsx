import {
  Alert,
  Button,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row,
  Space,
  Table,
  Typography,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiError, formFieldName } from '../client/client';
import type { OrderDetail, ReviewBody } from '../client/types';
import { useSession } from '../auth/session';
import { useLocale } from '../i18n/locale';
import { PendingNote, useAnswerLater } from './AnswerLater';

type Edits = Extract<ReviewBody, { decision: 'edit' }>['edits'];
type Line = NonNullable<Edits['lines']>[number];

const RECEIVER_FIELDS = ['name', 'phone', 'province', 'city', 'district', 'detail'] as const;

/** Keys typed into a field are the person's text, not shortcuts. */
export function typingInField(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('.ant-modal, .ant-select-dropdown, .ant-picker-dropdown') !== null
  );
}

/** The review decision being made on one order: its request, what it waits for, and why it failed. */
export type ReviewDecision = ReturnType<typeof useReviewDecision>;

/**
 * The decision on one order, kept by the order's page rather than by its buttons: while a decision
 * is on its way the order's live state may be lost (a busy or stopped worker) and the buttons go
 * with it, but the 处理中 message stays, the same key keeps asking, and the outcome shows when it
 * arrives. Asking stops when the order's page goes.
 */
export function useReviewDecision(orderId: string, onDecided?: (orderId: string) => void) {
  const { errorText, issueText } = useLocale();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  // A decision the order's workflow has not answered yet (a busy system): said above the buttons.
  const later = useAnswerLater({ accepted: 'review.pendingAccepted', busy: 'review.pendingBusy' });
  const [dialog, setDialog] = useState<'reject' | 'edit' | null>(null);
  const [rejectForm] = Form.useForm<{ reason: string }>();
  const [editForm] = Form.useForm();

  const decide = useMutation({
    // Sent as 批量通过 sends each order (ui/src/client/bulk-approval.ts): the API answers within the
    // wait — the decision, or "not decided yet" — and the same key asks again until it is decided,
    // so a decision still on its way is shown as 处理中, never as failed, and applies once.
    mutationFn: (body: ReviewBody) =>
      later.run((headers) =>
        api.POST('/orders/{id}/review', { params: { path: { id: orderId } }, headers, body }),
      ),
    onMutate: () => setProblem(null),
    onSuccess: async () => {
      setProblem(null);
      setDialog(null);
      await queryClient.invalidateQueries({ queryKey: ['reviews'] });
      await queryClient.invalidateQueries({ queryKey: ['order', orderId] });
      onDecided?.(orderId);
    },
    onError: (err, body) => {
      if (!(err instanceof ApiError)) return setProblem(String(err));
      const issues = err.problem.issues ?? [];
      const form = body.decision === 'reject' ? rejectForm : body.decision === 'edit' ? editForm : null;
      if (form && issues.length && (err.status === 400 || err.status === 422)) {
        form.setFields(
          issues.map((i) => ({ name: formFieldName(i.field) as never, errors: [issueText(i)] })),
        );
        // A field the form does not show still needs saying.
        const shown = new Set(
          form.getFieldsError().flatMap((f) => (f.errors.length ? [f.name.join('.')] : [])),
        );
        const hidden = issues.filter((i) => !shown.has(formFieldName(i.field).join('.')));
        setProblem(hidden.length ? hidden.map((i) => `${i.field}: ${issueText(i)}`).join('; ') : null);
      } else {
        setProblem(errorText(err));
      }
    },
  });

  useEffect(() => {
    setProblem(null);
  }, [orderId]);

  return { decide, pending: later.pending, problem, dialog, setDialog, rejectForm, editForm };
}

/** What became of the decision: 处理中 while it is on its way, or why it was refused. */
export function DecisionStatus({ decision }: { decision: ReviewDecision }) {
  const { pending, problem, dialog } = decision;
  return (
    <>
      <PendingNote text={pending} testId="review-pending" />
      {problem && !dialog && (
        <Alert
          type="error"
          showIcon
          title={problem}
          style={{ marginBottom: 8 }}
          role="alert"
          data-testid="review-problem"
        />
      )}
    </>
  );
}

/**
 * Approve, reject (with a reason) or edit a held order. The API's answer is shown where it
 * belongs: 400/422 on the field it names, 403/409 above the buttons. With `keyboard`, the keys
 * a / r / e do the same as the buttons. The decision itself is the order page's (useReviewDecision).
 */
export function ReviewActions({
  detail,
  decision,
  keyboard = false,
}: {
  detail: OrderDetail;
  decision: ReviewDecision;
  keyboard?: boolean;
}) {
  const { t, code } = useLocale();
  const session = useSession();
  const orderId = detail.order.id;
  const { decide, problem, dialog, setDialog, rejectForm, editForm } = decision;

  const holds = (detail.state?.holds ?? []).filter((h) => h.clearedAt === null);
  const stage = detail.state?.reviewStage ?? Math.min(...holds.map((h) => h.stage));
  const stageHolds = holds.filter((h) => h.stage === stage);
  const roles = [...new Set(stageHolds.map((h) => h.clearedBy))];
  const held = detail.order.status === 'held';
  // Holds whose approval carries a choice (the API's packedParcel and split): the choice beside the button.
  const packedRefund = stageHolds.some((h) => h.reason === 'refund_in_packed_parcel');
  const splitAsked = stageHolds.some((h) => h.reason === 'split_shipment');
  const [packedParcel, setPackedParcel] = useState<'repack' | 'ship'>('repack');
  const [split, setSplit] = useState<'wait' | 'split'>('wait');
  const approval: ReviewBody = {
    decision: 'approve',
    ...(packedRefund ? { packedParcel } : {}),
    ...(splitAsked ? { split } : {}),
  };
  const allowed = session.can('POST', '/orders/:id/review') && session.hasRole(roles);

  useEffect(() => {
    if (!keyboard || !held || !allowed) return;
    const onKey = (event: KeyboardEvent) => {
      if (typingInField(event) || event.ctrlKey || event.metaKey || event.altKey || dialog) return;
      if (event.key === 'a') {
        if (!decide.isPending) decide.mutate(approval);
      } else if (event.key === 'r') setDialog('reject');
      else if (event.key === 'e') setDialog('edit');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyboard, held, allowed, dialog, setDialog, decide, approval]);

  useEffect(() => {
    setPackedParcel('repack');
    setSplit('wait');
  }, [orderId]);

  if (!held) return null;
  if (!allowed) {
    return (
      <Alert
        type="info"
        showIcon
        title={t('review.notYours', { roles: roles.map((r) => code(r)).join(' / ') })}
      />
    );
  }

  const receiver = (detail.order.effective_receiver ?? detail.order.receiver) as Record<string, string>;
  const lines: Line[] = detail.lines.map((l) => ({
    lineId: l.line_id,
    platformSkuId: l.platform_sku_id,
    skuCode: l.sku_code,
    title: l.title,
    quantity: l.quantity,
    unitPriceFen: l.unit_price_fen,
    discountFen: l.discount_fen,
  }));

  function submitEdit(values: {
    edits: {
      receiver: Record<string, string>;
      lines: Line[];
      carrierPreference?: string;
      sellerMemo?: string;
    };
    note?: string;
  }) {
    const edits: Edits = {};
    const changedReceiver = Object.fromEntries(
      RECEIVER_FIELDS.filter((f) => (values.edits.receiver[f] ?? '') !== (receiver[f] ?? '')).map((f) => [
        f,
        values.edits.receiver[f] ?? '',
      ]),
    );
    if (Object.keys(changedReceiver).length) edits.receiver = changedReceiver;
    const changedLines = values.edits.lines.some(
      (l, i) => l.skuCode !== lines[i]?.skuCode || l.quantity !== lines[i]?.quantity,
    );
    if (changedLines) edits.lines = values.edits.lines.map((l, i) => ({ ...lines[i]!, ...l }));
    const carrier = values.edits.carrierPreference?.trim();
    if (carrier && carrier !== (detail.order.carrier_preference ?? '')) edits.carrierPreference = carrier;
    const memo = values.edits.sellerMemo ?? '';
    if (memo !== (detail.order.seller_memo ?? '')) edits.sellerMemo = memo;
    decide.mutate({ decision: 'edit', edits, ...(values.note ? { note: values.note } : {}) });
  }

  return (
    <div>
      <DecisionStatus decision={decision} />
      {packedRefund && (
        <div style={{ marginBottom: 8 }}>
          <Typography.Text strong>{t('review.packedParcel')}</Typography.Text>
          <Radio.Group
            aria-label={t('review.packedParcel')}
            value={packedParcel}
            onChange={(e) => setPackedParcel(e.target.value as 'repack' | 'ship')}
            options={[
              { value: 'repack', label: t('review.packedRepack') },
              { value: 'ship', label: t('review.packedShip') },
            ]}
            style={{ marginLeft: 8 }}
          />
        </div>
      )}
      {splitAsked && (
        <div style={{ marginBottom: 8 }}>
          <Typography.Text strong>{t('review.split')}</Typography.Text>
          <Radio.Group
            aria-label={t('review.split')}
            value={split}
            onChange={(e) => setSplit(e.target.value as 'wait' | 'split')}
            options={[
              { value: 'wait', label: t('review.splitWait') },
              { value: 'split', label: t('review.splitNow') },
            ]}
            style={{ marginLeft: 8 }}
          />
        </div>
      )}
      <Space wrap>
        <Button type="primary" loading={decide.isPending} onClick={() => decide.mutate(approval)}>
          {t('review.approve')} (a)
        </Button>
        <Button danger onClick={() => setDialog('reject')}>
          {t('review.reject')} (r)
        </Button>
        <Button onClick={() => setDialog('edit')}>{t('review.edit')} (e)</Button>
      </Space>

      <Modal
        open={dialog === 'reject'}
        title={t('review.reject')}
        okText={t('review.reject')}
        okButtonProps={{ danger: true, loading: decide.isPending }}
        onOk={() => rejectForm.submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 8 }} role="alert" />}
        <Form
          form={rejectForm}
          layout="vertical"
          preserve={false}
          onFinish={(v) => decide.mutate({ decision: 'reject', reason: v.reason })}
        >
          <Form.Item
            label={t('review.rejectReason')}
            name="reason"
            rules={[{ required: true, whitespace: true, message: t('review.rejectReasonRequired') }]}
          >
            <Input.TextArea autoFocus rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={dialog === 'edit'}
        title={t('review.edit')}
        width={860}
        okText={t('common.save')}
        okButtonProps={{ loading: decide.isPending }}
        onOk={() => editForm.submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 8 }} role="alert" />}
        <Form
          form={editForm}
          layout="vertical"
          preserve={false}
          initialValues={{
            edits: {
              receiver: Object.fromEntries(RECEIVER_FIELDS.map((f) => [f, receiver[f] ?? ''])),
              lines,
              carrierPreference: detail.order.carrier_preference ?? '',
              sellerMemo: detail.order.seller_memo ?? '',
            },
          }}
          onFinish={submitEdit}
        >
          <Typography.Title level={5}>{t('review.receiver')}</Typography.Title>
          <Row gutter={12}>
            {RECEIVER_FIELDS.map((f) => (
              <Col span={f === 'detail' ? 24 : 8} key={f}>
                <Form.Item label={t(`receiver.${f}`)} name={['edits', 'receiver', f]}>
                  <Input />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Typography.Title level={5}>{t('review.lines')}</Typography.Title>
          <Form.List name={['edits', 'lines']}>
            {(fields) => (
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={fields}
                columns={[
                  { title: '#', render: (_, f) => lines[f.name]?.title || lines[f.name]?.lineId },
                  {
                    title: t('common.sku'),
                    render: (_, f) => (
                      <Form.Item
                        name={[f.name, 'skuCode']}
                        style={{ margin: 0 }}
                        aria-label={`${t('common.sku')} ${f.name + 1}`}
                      >
                        <Input aria-label={`${t('common.sku')} ${f.name + 1}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('common.qty'),
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'quantity']} style={{ margin: 0 }}>
                        <InputNumber min={1} aria-label={`${t('common.qty')} ${f.name + 1}`} />
                      </Form.Item>
                    ),
                  },
                ]}
              />
            )}
          </Form.List>
          <Row gutter={12} style={{ marginTop: 12 }}>
            <Col span={8}>
              <Form.Item label={t('review.carrier')} name={['edits', 'carrierPreference']}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item label={t('review.sellerMemo')} name={['edits', 'sellerMemo']}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t('review.note')} name="note">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
