/** Counts as a row of small Statistic cards (two to a row on phones). */
import { Card, Col, Row, Statistic } from 'antd';

export interface CountItem {
  key: string;
  title: string;
  value: number;
  tone?: 'success' | 'danger' | 'muted';
}

const TONES = { success: '#389e0d', danger: '#cf1322', muted: 'rgba(0, 0, 0, 0.45)' };

export function CountCards({ items }: { items: CountItem[] }) {
  const span = Math.max(4, Math.floor(24 / items.length));
  return (
    <Row gutter={[12, 12]} className="import-counts">
      {items.map((item) => (
        <Col key={item.key} xs={12} sm={8} xl={span}>
          <Card size="small" className="import-count-card" data-testid={`import-count-${item.key}`}>
            <Statistic
              title={item.title}
              value={item.value}
              styles={item.tone ? { content: { color: TONES[item.tone] } } : undefined}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
