/** Create a user (→ initial password shown once) or edit one. Roles are granted at units. */
import { useEffect, useRef, useState } from 'react';
import { Button, Col, Form, Input, Modal, Row, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ROLES,
  label,
  phone,
  plainName,
  roleLabels,
  username as usernameSchema,
  type Role,
  type User,
  type UserCreate,
  type UserCreated,
  type UserUpdate,
} from '@dudao/contracts';
import { api, type Infer } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { optionalText, schemaRule } from '../../../app/validation.ts';
import { UnitTreeSelect } from '../../org/components/UnitTreeSelect.tsx';
import { SchoolSelect } from './SchoolSelect.tsx';
import { isValidIdNumber } from './idNumber.ts';

interface RoleRow {
  role?: Role;
  unitId?: string;
}

interface Values {
  username: string;
  displayName: string;
  unitId?: string;
  phone?: string;
  idNumber?: string;
  roles: RoleRow[];
  inspectorSchoolIds?: string[];
}

export type UserFormMode = { type: 'create'; unitId?: string } | { type: 'edit'; user: User };

interface Props {
  mode: UserFormMode;
  onClose: () => void;
  /** After a create: the new user and the initial password; after an edit: the user. */
  onSaved: (result: { user: User | null; initialPassword?: string }) => void;
}

const displayNameSchema = plainName(32);

export function UserFormModal({ mode, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const roles = Form.useWatch('roles', form);
  const isInspector = (roles ?? []).some((r) => r?.role === 'inspector');
  const editing = mode.type === 'edit';
  const previousUnit = useRef<string | undefined>(mode.type === 'create' ? mode.unitId : undefined);

  // Names of units the tree has not loaded yet, for the pickers.
  const knownNames: Record<string, string> = {};
  if (mode.type === 'edit') {
    knownNames[mode.user.unitId] = mode.user.unitName;
    for (const r of mode.user.roles) knownNames[r.unitId] = r.unitName;
  }

  useEffect(() => {
    if (mode.type === 'edit') {
      const u = mode.user;
      form.setFieldsValue({
        username: u.username,
        displayName: u.displayName,
        unitId: u.unitId,
        phone: u.phone ?? undefined,
        idNumber: undefined,
        roles: u.roles.map((r) => ({ role: r.role, unitId: r.unitId })),
        inspectorSchoolIds: u.inspectorSchoolIds,
      });
    } else {
      form.setFieldsValue({ unitId: mode.unitId, roles: [{ role: undefined, unitId: mode.unitId }] });
    }
  }, [mode, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const grants = v.roles.flatMap((r) => (r.role && r.unitId ? [{ role: r.role, unitId: r.unitId }] : []));
    const schools = grants.some((g) => g.role === 'inspector') ? (v.inspectorSchoolIds ?? []) : [];
    setBusy(true);
    try {
      if (mode.type === 'create') {
        const body: UserCreate = {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          unitId: v.unitId ?? '',
          phone: optionalText(v.phone),
          idNumber: optionalText(v.idNumber)?.toUpperCase(),
          roles: grants,
          ...(schools.length > 0 ? { inspectorSchoolIds: schools } : {}),
        };
        const created = await api.post<Infer<typeof UserCreated>>('/api/users', body);
        feedback.success(t('common.created'));
        onSaved({ user: created.user, initialPassword: created.initialPassword });
      } else {
        const idNumber = optionalText(v.idNumber)?.toUpperCase();
        const body: UserUpdate = {
          displayName: v.displayName.trim(),
          phone: optionalText(v.phone) ?? null,
          ...(idNumber ? { idNumber } : {}),
          roles: grants,
          inspectorSchoolIds: schools,
        };
        const user = await api.patch<User>(`/api/users/${mode.user.id}`, body);
        feedback.success(t('common.saved'));
        onSaved({ user: user ?? null });
      }
    } catch (err) {
      feedback.error(err, form, { USERNAME_TAKEN: 'username' });
    } finally {
      setBusy(false);
    }
  };

  const half = isMobile ? 24 : 12;
  const roleOptions = ROLES.map((r) => ({ value: r, label: label(roleLabels, r, lang) }));

  return (
    <Modal
      open
      title={mode.type === 'edit' ? t('users.editTitle', { name: mode.user.displayName }) : t('users.create')}
      onCancel={onClose}
      width={760}
      destroyOnHidden
      mask={{ closable: false }}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          loading={busy}
          onClick={() => void submit().catch(() => undefined)}
          data-testid="user-form-submit"
        >
          {t('common.save')}
        </Button>,
      ]}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onValuesChange={(changed: Partial<Values>, all: Values) => {
          // Role rows still at the previous unit (or at none) follow a change of the user's unit.
          if ('unitId' in changed && !editing) {
            const previous = previousUnit.current;
            form.setFieldValue(
              'roles',
              (all.roles ?? []).map((r) =>
                !r?.unitId || r.unitId === previous ? { ...r, unitId: changed.unitId } : r,
              ),
            );
            previousUnit.current = changed.unitId;
          }
        }}
      >
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="username"
              label={t('users.username')}
              rules={
                editing
                  ? []
                  : [{ required: true, message: t('common.required') }, schemaRule(usernameSchema, t)]
              }
              extra={editing ? undefined : t('valid.username')}
            >
              <Input
                disabled={editing}
                autoCapitalize="none"
                spellCheck={false}
                maxLength={32}
                className="mono"
                data-testid="user-form-username"
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="displayName"
              label={t('users.displayName')}
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                schemaRule(displayNameSchema, t),
              ]}
            >
              <Input maxLength={32} data-testid="user-form-displayName" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="unitId"
              label={t('users.unit')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <UnitTreeSelect knownNames={knownNames} disabled={editing} data-testid="user-form-unit" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="phone" label={t('users.phone')} rules={[schemaRule(phone, t)]}>
              <Input inputMode="tel" maxLength={20} data-testid="user-form-phone" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="idNumber"
              label={t('users.idNumber')}
              rules={[
                {
                  validator: (_r, value: string | undefined) =>
                    !value?.trim() || isValidIdNumber(value)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('valid.idNumber'))),
                },
              ]}
              extra={
                editing && mode.user.idNumberMasked
                  ? t('users.idNumberKeep', { masked: mode.user.idNumberMasked })
                  : undefined
              }
            >
              <Input maxLength={18} autoComplete="off" className="mono" data-testid="user-form-idNumber" />
            </Form.Item>
          </Col>
        </Row>
        <div className="form-section-label">{t('users.roles')}</div>
        <Form.List
          name="roles"
          rules={[
            {
              validator: (_r, rows: RoleRow[] | undefined) =>
                rows && rows.some((r) => r?.role && r.unitId)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('users.rolesRequired'))),
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field, index) => (
                <Row gutter={8} key={field.key} className="role-row" align="top">
                  <Col xs={24} sm={9}>
                    <Form.Item
                      name={[field.name, 'role']}
                      rules={[{ required: true, message: t('common.required') }]}
                      className="role-row-item"
                    >
                      <Select
                        placeholder={t('users.role')}
                        options={roleOptions}
                        data-testid={`user-form-role-${index}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={20} sm={13}>
                    <Form.Item
                      name={[field.name, 'unitId']}
                      rules={[{ required: true, message: t('common.required') }]}
                      className="role-row-item"
                    >
                      <UnitTreeSelect
                        knownNames={knownNames}
                        placeholder={t('users.roleUnit')}
                        data-testid={`user-form-role-unit-${index}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={4} sm={2}>
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                      disabled={fields.length <= 1}
                      aria-label={t('common.disable')}
                    />
                  </Col>
                </Row>
              ))}
              <Space orientation="vertical" className="full-width">
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() =>
                    add({ role: undefined, unitId: form.getFieldValue('unitId') as string | undefined })
                  }
                  disabled={fields.length >= 10}
                  block
                >
                  {t('users.addRole')}
                </Button>
                {errors.length > 0 ? (
                  <Typography.Text type="danger" data-testid="user-form-roles-error">
                    {errors}
                  </Typography.Text>
                ) : null}
              </Space>
            </>
          )}
        </Form.List>
        {isInspector ? (
          <Form.Item
            name="inspectorSchoolIds"
            label={t('users.inspectorSchools')}
            extra={t('users.inspectorSchoolsHint')}
            className="inspector-schools"
          >
            <SchoolSelect data-testid="user-form-schools" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
