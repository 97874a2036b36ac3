/**
 * 每日考勤, phone first: pick the class (the teacher's own first) and the day (today), the roster is all
 * 出勤; tapping a student cycles 迟到 → 病假 → 事假 → 旷课 → 出勤, a reason can be typed, and one button
 * submits. Submitting again replaces the day's sheet. Gate arrivals show beside the name.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Input, Select, Space, Spin, Tag, Typography } from 'antd';
import { CheckOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import {
  ATTENDANCE_KINDS,
  attendanceKindLabels,
  label,
  type AttendanceClass,
  type AttendanceKind,
  type AttendanceSheet,
  type SheetResult,
} from '@dudao/contracts';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { chinaToday, useDropoutI18n } from './messages.ts';
import './dropout.css';

type Mark = { kind: AttendanceKind; reason: string };

const KIND_COLORS: Record<AttendanceKind, string> = {
  late: 'gold',
  sick: 'blue',
  personal: 'purple',
  unexcused: 'red',
};

function nextKind(k: AttendanceKind | undefined): AttendanceKind | undefined {
  if (!k) return ATTENDANCE_KINDS[0];
  const i = ATTENDANCE_KINDS.indexOf(k);
  return ATTENDANCE_KINDS[i + 1];
}

export default function AttendancePage() {
  const { d, lang } = useDropoutI18n();
  const feedback = useFeedback();
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [date, setDate] = useState(() => {
    const p = params.get('date');
    return p && /^\d{4}-\d{2}-\d{2}$/.test(p) && p <= chinaToday() ? p : chinaToday();
  });
  const [classes, setClasses] = useState<AttendanceClass[] | null>(null);
  const [classId, setClassId] = useState<string | undefined>();
  const [sheet, setSheet] = useState<AttendanceSheet | null>(null);
  const [marks, setMarks] = useState<Map<string, Mark>>(new Map());
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<AttendanceClass[]>('/api/attendance/classes', { date }, ctrl.signal)
      .then((list) => {
        setClasses(list);
        setClassId((cur) => (cur && list.some((c) => c.id === cur) ? cur : list[0]?.id));
      })
      .catch((e: unknown) => feedback.error(e));
    return () => ctrl.abort();
  }, [date, feedback]);

  const load = useCallback(
    (signal?: AbortSignal) => {
      if (!classId) return;
      setLoading(true);
      api
        .get<AttendanceSheet>('/api/attendance/sheet', { classId, date }, signal)
        .then((s) => {
          setSheet(s);
          setMarks(
            new Map(
              s.students.flatMap((st) =>
                st.kind ? [[st.id, { kind: st.kind, reason: st.reason ?? '' }] as const] : [],
              ),
            ),
          );
        })
        .catch((e: unknown) => feedback.error(e))
        .finally(() => setLoading(false));
    },
    [classId, date, feedback],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const counts = useMemo(() => {
    const c = { late: 0, sick: 0, personal: 0, unexcused: 0 };
    for (const m of marks.values()) c[m.kind]++;
    const enrolled = sheet?.students.length ?? 0;
    return { ...c, enrolled, present: enrolled - c.sick - c.personal - c.unexcused };
  }, [marks, sheet]);

  const editable = Boolean(sheet?.canSubmit && sheet.schoolDay);
  const tap = (id: string) => {
    if (!editable) return;
    setMarks((old) => {
      const next = new Map(old);
      const k = nextKind(old.get(id)?.kind);
      if (k) next.set(id, { kind: k, reason: old.get(id)?.reason ?? '' });
      else next.delete(id);
      return next;
    });
  };
  const setReason = (id: string, reason: string) =>
    setMarks((old) => {
      const m = old.get(id);
      if (!m) return old;
      return new Map(old).set(id, { ...m, reason });
    });

  const submit = async () => {
    if (!sheet || !classId) return;
    setSaving(true);
    try {
      const res = await api.put<SheetResult>('/api/attendance/sheet', {
        classId,
        date,
        marks: [...marks].map(([studentId, m]) => ({
          studentId,
          kind: m.kind,
          ...(m.reason.trim() ? { reason: m.reason.trim() } : {}),
        })),
      });
      feedback.success(d('att.saved', { present: res.counts.present, enrolled: res.counts.enrolled }));
      load();
    } catch (e) {
      feedback.error(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="attendance-page">
      <PageHeader title={d('att.title')} crumbs={[{ title: d('do.module') }]} />
      <Card size="small" className="attendance-controls">
        <Space wrap>
          <Select
            className="attendance-class"
            value={classId}
            onChange={setClassId}
            placeholder={d('att.class')}
            loading={classes === null}
            options={(classes ?? []).map((c) => ({
              value: c.id,
              label: `${c.own ? '★ ' : ''}${classes && new Set(classes.map((x) => x.schoolId)).size > 1 ? c.schoolName + ' ' : ''}${c.name}${c.submitted ? ' ✓' : ''}`,
            }))}
            data-testid="attendance-class"
          />
          <Input
            type="date"
            value={date}
            max={chinaToday()}
            onChange={(e) => e.target.value && setDate(e.target.value)}
            className="attendance-date"
            aria-label={d('att.date')}
          />
          <Button icon={<ReloadOutlined />} onClick={() => load()} aria-label={d('common.refresh')} />
          {me.access.takeAttendance ? (
            <Button
              icon={<UploadOutlined />}
              onClick={() => void navigate('/attendance/import')}
              data-testid="attendance-import-button"
            >
              {d('att.import')}
            </Button>
          ) : null}
        </Space>
      </Card>
      {classes && classes.length === 0 ? <Empty description={d('att.noClasses')} /> : null}
      {sheet ? (
        <>
          <div className="attendance-summary">
            <Tag color="green">
              {d('att.present')} {counts.present}/{counts.enrolled}
            </Tag>
            {ATTENDANCE_KINDS.map((k) =>
              counts[k] ? (
                <Tag key={k} color={KIND_COLORS[k]}>
                  {label(attendanceKindLabels, k, lang)} {counts[k]}
                </Tag>
              ) : null,
            )}
            {sheet.submitted ? (
              <Tag icon={<CheckOutlined />} color="success" data-testid="attendance-submitted">
                {d('att.submitted', {
                  by: sheet.submitted.by ?? '',
                  at: new Date(sheet.submitted.at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
                    hour: '2-digit',
                    minute: '2-digit',
                  }),
                })}
              </Tag>
            ) : (
              <Tag color="orange">{d('att.notSubmitted')}</Tag>
            )}
          </div>
          {!sheet.schoolDay ? <Alert type="info" showIcon title={d('att.notSchoolDay')} /> : null}
          {sheet.schoolDay && !sheet.canSubmit ? (
            <Alert type="warning" showIcon title={d('att.readOnly')} />
          ) : null}
          {editable ? <Typography.Text type="secondary">{d('att.tapHint')}</Typography.Text> : null}
          <Spin spinning={loading}>
            {sheet.students.length === 0 ? <Empty description={d('att.empty')} /> : null}
            <ul className="attendance-roster" data-testid="attendance-roster">
              {sheet.students.map((st) => {
                const m = marks.get(st.id);
                return (
                  <li key={st.id} className={m ? `attendance-row is-${m.kind}` : 'attendance-row'}>
                    <button
                      type="button"
                      className="attendance-tap"
                      onClick={() => tap(st.id)}
                      disabled={!editable}
                    >
                      <span className="attendance-name">{st.name}</span>
                      {st.arrivedAt ? (
                        <span className="attendance-gate">{d('att.arrived', { t: st.arrivedAt })}</span>
                      ) : null}
                      <Tag color={m ? KIND_COLORS[m.kind] : 'green'} className="attendance-kind">
                        {m ? label(attendanceKindLabels, m.kind, lang) : d('att.present')}
                      </Tag>
                    </button>
                    {m && editable ? (
                      <Input
                        size="small"
                        className="attendance-reason"
                        placeholder={d('att.reason')}
                        value={m.reason}
                        maxLength={200}
                        onChange={(e) => setReason(st.id, e.target.value)}
                      />
                    ) : m?.reason ? (
                      <Typography.Text type="secondary" className="attendance-reason">
                        {m.reason}
                      </Typography.Text>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </Spin>
          {editable ? (
            <div className="attendance-submit">
              <Button
                type="primary"
                size="large"
                block
                loading={saving}
                onClick={() => void submit()}
                data-testid="attendance-submit"
              >
                {sheet.submitted ? d('att.resubmit') : d('att.submit')}
              </Button>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
