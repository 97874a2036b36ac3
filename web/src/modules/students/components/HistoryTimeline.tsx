/** 学籍变动记录 as a timeline, oldest first: what happened, when it took effect, where, why and who. */
import { Timeline, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import {
  label,
  statusEventKindLabels,
  type StatusEventKind,
  type StudentStatusEvent,
} from '@dudao/contracts';
import { formatDateTime } from '../../../app/format.ts';
import { useStudentI18n } from '../messages.ts';
import { StudentStatusTag } from './labels.tsx';

const KIND_COLORS: Record<StatusEventKind, string> = {
  enrol: 'blue',
  suspend: 'orange',
  resume: 'green',
  graduate: '#722ed1',
  decease: 'gray',
  transfer_out: '#fa8c16',
  transfer_in: 'green',
  dropout: 'red',
};

export function HistoryTimeline({ history }: { history: StudentStatusEvent[] }) {
  const { s, lang } = useStudentI18n();
  if (history.length === 0) return <Typography.Text type="secondary">{s('stu.noHistory')}</Typography.Text>;
  return (
    <Timeline
      className="student-history"
      items={history.map((e) => ({
        key: e.id,
        color: KIND_COLORS[e.kind],
        content: (
          <div className="history-item" data-testid="history-item">
            <div className="history-head">
              <span className="history-kind">{label(statusEventKindLabels, e.kind, lang)}</span>
              <span className="mono history-date">{e.effectiveOn}</span>
            </div>
            <div className="history-line">
              {e.school.name}
              <Typography.Text type="secondary" className="mono small">
                {' '}
                {e.school.code}
              </Typography.Text>
            </div>
            {e.statusFrom ? (
              <div className="history-line">
                <StudentStatusTag status={e.statusFrom} />
                <ArrowRightOutlined className="history-arrow" />
                <StudentStatusTag status={e.statusTo} />
              </div>
            ) : null}
            {e.reason ? <div className="history-line">{s('stu.reasonLine', { r: e.reason })}</div> : null}
            <div className="history-meta">
              {e.actorName ? `${s('stu.by', { name: e.actorName })} · ` : ''}
              {s('stu.recordedAt', { time: formatDateTime(e.createdAt) })}
            </div>
          </div>
        ),
      }))}
    />
  );
}
