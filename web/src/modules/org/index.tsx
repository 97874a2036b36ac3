/**
 * 组织机构: the unit tree on the left (a Drawer on phones), the selected unit's details and its
 * child units on the right. The selected unit is kept in the address (?unit=ID).
 */
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Card, Drawer, Empty, Skeleton } from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import type { Unit, UnitTreeNode } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { useI18n } from '../../app/i18n.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTree } from './components/UnitTree.tsx';
import { UnitDetails } from './components/UnitDetails.tsx';
import { UnitTable } from './components/UnitTable.tsx';
import { UnitFormModal, type UnitFormMode } from './components/UnitFormModal.tsx';
import { UnitStatusModal } from './components/UnitStatusModal.tsx';
import { useUnitTree } from './components/useUnitTree.ts';

export { UnitTreeSelect } from './components/UnitTreeSelect.tsx';

export default function OrgPage() {
  const { t } = useI18n();
  const me = useMe();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('unit');
  const tree = useUnitTree();
  const { load, ensure, getNode } = tree;

  const [expanded, setExpanded] = useState<string[]>([]);
  const [unit, setUnit] = useState<Unit | null>(null);
  const [unitMissing, setUnitMissing] = useState(false);
  const [reloadToken, setReloadToken] = useState(0);
  const [form, setForm] = useState<UnitFormMode | null>(null);
  const [statusAction, setStatusAction] = useState<'disable' | 'enable' | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const canManage = me.access.manageUnits;

  const select = useCallback(
    (id: string) => {
      setParams({ unit: id });
      setDrawerOpen(false);
    },
    [setParams],
  );

  // Roots of the user's scope; the first one is selected when the address names none.
  useEffect(() => {
    load(null).then(
      (roots) => {
        const first = roots[0];
        if (!first) return;
        setExpanded((keys) => (keys.includes(first.id) ? keys : [...keys, first.id]));
        if (!selectedId) setParams({ unit: first.id }, { replace: true });
      },
      (err: unknown) => feedback.error(err),
    );
    // Runs once, on entering the page.
  }, []);

  // The selected unit's full record.
  useEffect(() => {
    if (!selectedId) return;
    const controller = new AbortController();
    setUnitMissing(false);
    api.get<Unit>(`/api/units/${selectedId}`, undefined, controller.signal).then(
      (u) => setUnit(u),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(err) && err.status === 404) {
          setUnit(null);
          setUnitMissing(true);
        } else feedback.error(err);
      },
    );
    return () => controller.abort();
  }, [selectedId, reloadToken, feedback]);

  // Open the tree down to the selected unit (it may have been chosen from the table or a link).
  useEffect(() => {
    if (!unit) return;
    let cancelled = false;
    const reveal = async () => {
      const roots = await ensure(null);
      const rootIds = new Set(roots.map((r) => r.id));
      // Walk up until a unit the tree already holds; a root's parent lies outside the user's scope.
      const chain: string[] = [];
      let current: Pick<Unit, 'id' | 'parentId'> = unit;
      while (current.parentId && !rootIds.has(current.id) && chain.length < 6) {
        chain.unshift(current.parentId);
        if (rootIds.has(current.parentId) || getNode(current.parentId)) break;
        current = await api.get<Unit>(`/api/units/${current.parentId}`);
      }
      for (const id of chain) {
        if (cancelled) return;
        await ensure(id);
      }
      if (!cancelled && chain.length > 0) setExpanded((keys) => [...new Set([...keys, ...chain])]);
    };
    reveal().catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // Runs only when another unit is shown.
  }, [unit?.id]);

  /** After a change: the record, its row in the tree and the child list are fetched again. */
  const refresh = useCallback(
    (changed: Unit | null) => {
      setReloadToken((n) => n + 1);
      const parentId = changed?.parentId ?? unit?.parentId ?? null;
      load(parentId).catch(() => undefined);
      if (unit && (!changed || changed.parentId === unit.id)) {
        load(unit.id).catch(() => undefined);
        setExpanded((keys) => (keys.includes(unit.id) ? keys : [...keys, unit.id]));
      }
    },
    [load, unit],
  );

  const treeView = (
    <UnitTree
      store={tree}
      selectedId={selectedId}
      expandedKeys={expanded}
      onExpand={setExpanded}
      onSelect={(node: UnitTreeNode) => select(node.id)}
    />
  );

  // While another unit loads, the previous one is not shown (its buttons would act on the wrong unit).
  const shown = unit && unit.id === selectedId ? unit : null;
  const right = shown ? (
    <>
      <UnitDetails
        unit={shown}
        canManage={canManage}
        onEdit={() => setForm({ type: 'edit', unit: shown })}
        onStatus={setStatusAction}
      />
      {shown.kind !== 'school' ? (
        <UnitTable
          parent={shown}
          canManage={canManage}
          reloadToken={reloadToken}
          onOpen={(u) => select(u.id)}
          onCreate={(kind) => setForm({ type: 'create', kind, parent: shown })}
        />
      ) : null}
    </>
  ) : unitMissing ? (
    <Card>
      <Empty description={t('result.404sub')} />
    </Card>
  ) : selectedId ? (
    <Card>
      <Skeleton active />
    </Card>
  ) : (
    <Card>
      <Empty description={t('org.noSelection')} />
    </Card>
  );

  return (
    <>
      <PageHeader
        title={t('org.title')}
        extra={
          isMobile ? (
            <Button
              icon={<ApartmentOutlined />}
              onClick={() => setDrawerOpen(true)}
              data-testid="org-tree-open"
            >
              {t('org.pickUnit')}
            </Button>
          ) : null
        }
      />
      {isMobile ? (
        <>
          <Drawer
            title={t('org.tree')}
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size="85%"
            forceRender
          >
            {treeView}
          </Drawer>
          <div className="org-right">{right}</div>
        </>
      ) : (
        <div className="org-layout">
          <Card size="small" title={t('org.tree')} className="org-left">
            {treeView}
          </Card>
          <div className="org-right">{right}</div>
        </div>
      )}
      {form ? (
        <UnitFormModal
          mode={form}
          onClose={() => setForm(null)}
          onSaved={(saved) => {
            setForm(null);
            refresh(saved);
          }}
        />
      ) : null}
      {unit && statusAction ? (
        <UnitStatusModal
          unit={unit}
          action={statusAction}
          onClose={() => setStatusAction(null)}
          onDone={() => {
            setStatusAction(null);
            refresh(unit);
          }}
        />
      ) : null}
    </>
  );
}
