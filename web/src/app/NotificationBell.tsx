/**
 * The bell in the shell header: unread notifications (GET /api/notifications, polled every 60 s and when
 * the tab comes back), a list to open them — a click marks one read and follows its link — and 全部已读.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Drawer, Empty, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import type { Notification, NotificationList } from '@dudao/contracts';
import { api } from './api.ts';
import { formatDateTime } from './format.ts';
import { useI18n } from './i18n.tsx';
import { useIsMobile } from './responsive.ts';

const POLL_MS = 60_000;

const TEXT = {
  title: ['消息通知', 'Notifications'],
  readAll: ['全部已读', 'Mark all read'],
  none: ['暂无消息', 'No notifications'],
  justNow: ['刚刚', 'just now'],
  minutes: ['{n}分钟前', '{n} min ago'],
  hours: ['{n}小时前', '{n} h ago'],
} as const;

export function NotificationBell() {
  const { lang } = useI18n();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [data, setData] = useState<NotificationList | null>(null);
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const inflight = useRef<AbortController | null>(null);
  const tr = (key: keyof typeof TEXT, n?: number) =>
    TEXT[key][lang === 'zh' ? 0 : 1].replace('{n}', String(n ?? ''));

  const load = useCallback(() => {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    setLoading(true);
    api
      .get<NotificationList>('/api/notifications', undefined, controller.signal)
      .then(setData, () => undefined) // the bell stays quiet when the list cannot be had
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
  }, []);

  useEffect(() => {
    load();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') load();
    }, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      inflight.current?.abort();
    };
  }, [load]);

  const markRead = (item: Notification) => {
    if (item.readAt) return;
    const at = new Date().toISOString();
    setData((d) =>
      d
        ? {
            unread: Math.max(0, d.unread - 1),
            items: d.items.map((n) => (n.id === item.id ? { ...n, readAt: at } : n)),
          }
        : d,
    );
    api.post(`/api/notifications/${item.id}/read`).catch(() => undefined);
  };

  const openItem = (item: Notification) => {
    markRead(item);
    setOpen(false);
    if (item.link) {
      if (/^https?:\/\//.test(item.link)) window.location.assign(item.link);
      else void navigate(item.link);
    }
  };

  const readAll = () => {
    const at = new Date().toISOString();
    setData((d) => (d ? { unread: 0, items: d.items.map((n) => ({ ...n, readAt: n.readAt ?? at })) } : d));
    api.post('/api/notifications/read-all').then(load, () => undefined);
  };

  const ago = (iso: string) => {
    const ms = Date.now() - new Date(iso).getTime();
    if (Number.isNaN(ms)) return '';
    const min = Math.floor(ms / 60_000);
    if (min < 1) return tr('justNow');
    if (min < 60) return tr('minutes', min);
    if (min < 24 * 60) return tr('hours', Math.floor(min / 60));
    return formatDateTime(iso);
  };

  const toggle = (next: boolean) => {
    setOpen(next);
    if (next) load();
  };

  const unread = data?.unread ?? 0;
  const items = data?.items ?? [];

  const content = (
    <div
      className="notif-panel"
      style={{ width: isMobile ? 'calc(100vw - 32px)' : 360 }}
      data-testid="notif-panel"
    >
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '4px 4px 8px',
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <b>{tr('title')}</b>
        <Button
          size="small"
          type="link"
          disabled={unread === 0}
          onClick={readAll}
          data-testid="notif-read-all"
        >
          {tr('readAll')}
        </Button>
      </div>
      <Spin spinning={loading && !data}>
        {items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tr('none')} style={{ margin: '16px 0' }} />
        ) : (
          <div style={{ maxHeight: isMobile ? undefined : 420, overflow: 'auto' }}>
            {items.map((n) => (
              <button
                type="button"
                key={n.id}
                onClick={() => openItem(n)}
                data-testid="notif-item"
                data-unread={n.readAt ? undefined : 'true'}
                style={{
                  display: 'block',
                  width: '100%',
                  textAlign: 'left',
                  border: 0,
                  borderBottom: '1px solid #f5f5f5',
                  background: n.readAt ? 'transparent' : '#f0f7ff',
                  padding: '8px 6px',
                  cursor: n.link || !n.readAt ? 'pointer' : 'default',
                  lineHeight: 1.5,
                  font: 'inherit',
                }}
              >
                <div style={{ display: 'flex', gap: 6, alignItems: 'baseline' }}>
                  {n.readAt ? null : <Badge status="processing" />}
                  <span
                    style={{
                      fontWeight: n.readAt ? 400 : 600,
                      flex: 1,
                      minWidth: 0,
                      wordBreak: 'break-word',
                    }}
                  >
                    {n.title}
                  </span>
                </div>
                {n.body ? (
                  <Typography.Paragraph
                    type="secondary"
                    ellipsis={{ rows: 2 }}
                    style={{ margin: '2px 0 0', fontSize: 13 }}
                  >
                    {n.body}
                  </Typography.Paragraph>
                ) : null}
                <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{ago(n.createdAt)}</div>
              </button>
            ))}
          </div>
        )}
      </Spin>
    </div>
  );

  const bell = (
    <Button
      type="text"
      aria-label={tr('title')}
      title={tr('title')}
      data-testid="notif-bell"
      onClick={isMobile ? () => toggle(!open) : undefined}
      icon={
        <Badge count={unread} size="small" overflowCount={99} offset={[2, -2]} data-testid="notif-count">
          <BellOutlined style={{ fontSize: 17 }} />
        </Badge>
      }
    />
  );

  // A phone is too narrow for a popover beside the bell: the list slides down from the top.
  if (isMobile)
    return (
      <>
        {bell}
        <Drawer
          open={open}
          placement="top"
          size="auto"
          onClose={() => toggle(false)}
          closable={false}
          styles={{ body: { padding: 12, maxHeight: '75vh', overflow: 'auto' } }}
        >
          {content}
        </Drawer>
      </>
    );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={toggle}
      arrow={false}
    >
      {bell}
    </Popover>
  );
}
