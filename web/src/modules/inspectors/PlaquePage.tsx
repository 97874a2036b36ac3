/**
 * 责任督学挂牌督导公示牌: the plaque hung at the school gate — the school, its responsible inspectors (photo,
 * name, title, phone, 督学证号), the eight routine items, how often they come, and the supervision hotline —
 * as an A4 page that prints on its own.
 */
import { Link, useParams } from 'react-router-dom';
import { Button, Result, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined, UserOutlined } from '@ant-design/icons';
import { inspectorEmploymentLabels, label, type Plaque } from '@dudao/contracts';
import { NotFound } from '../errors/index.tsx';
import { UUID, useResource } from './components/common.tsx';
import { useInspectorI18n } from './messages.ts';
import './inspectors.css';

export default function PlaquePage() {
  const { schoolId = '' } = useParams();
  const { m, lang } = useInspectorI18n();
  const r = useResource<Plaque>(UUID.test(schoolId) ? `/api/inspectors/plaque/${schoolId}` : null);
  if (!UUID.test(schoolId) || r.status === 404) return <NotFound />;
  if (r.error) return <Result status="error" title={r.error} />;
  const p = r.data;
  if (!p) return <Skeleton active />;
  return (
    <div className="doc-page">
      <Space wrap className="no-print insp-gap">
        <Link to="/inspectors">
          <Button icon={<ArrowLeftOutlined />}>{m('in.back')}</Button>
        </Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {m('in.print')}
        </Button>
      </Space>
      <div className="doc-paper plaque" data-testid="plaque-paper">
        <div className="plaque-head">
          <div className="plaque-title">{m('in.plaqueTitle')}</div>
          <div className="plaque-school">{p.school.name}</div>
        </div>
        {p.inspectors.length === 0 ? (
          <p className="plaque-empty">{m('in.plaqueNoInspector')}</p>
        ) : (
          <div className="plaque-people">
            {p.inspectors.map((i) => (
              <div className="plaque-person" key={i.userId}>
                <div className="plaque-photo">
                  {i.hasPhoto ? (
                    <img src={`/api/inspectors/plaque/${p.school.id}/photo/${i.userId}`} alt={i.name} />
                  ) : (
                    <UserOutlined />
                  )}
                </div>
                <div className="plaque-info">
                  <div className="plaque-name">
                    {`${m('in.inspector')}：${i.name}`}
                    {i.employment ? (
                      <span className="plaque-sub">{`（${label(inspectorEmploymentLabels, i.employment, lang)}）`}</span>
                    ) : null}
                  </div>
                  {i.title || i.employer ? (
                    <div>{[i.employer, i.title].filter(Boolean).join(' ')}</div>
                  ) : null}
                  {i.phone ? <div>{`${m('in.phone')}：${i.phone}`}</div> : null}
                  {i.certificateNo ? <div>{`${m('in.certificateNo')}：${i.certificateNo}`}</div> : null}
                </div>
              </div>
            ))}
          </div>
        )}
        <div className="plaque-items">
          <div className="plaque-items-title">{m('in.plaqueItems')}</div>
          <ol>
            {p.items.map((i) => (
              <li key={i.item}>{i.label}</li>
            ))}
          </ol>
        </div>
        <div className="plaque-foot">
          <div>{m('in.plaqueVisits', { n: p.visitsPerTerm })}</div>
          {p.hotline ? (
            <div className="plaque-hotline">{m('in.plaqueHotline', { phone: p.hotline })}</div>
          ) : null}
          <div>{p.bureau.name}</div>
        </div>
      </div>
    </div>
  );
}
