/** 班级花名册 (/classes/:id): the class, then its students — those in school first. */
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Result, Skeleton } from 'antd';
import { label, studentStageLabels, type ClassRoster } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { NotFound } from '../errors/index.tsx';
import { StudentList } from './components/StudentList.tsx';
import { gradeName, schoolYearText } from './components/labels.tsx';
import { useStudentI18n } from './messages.ts';
import './students.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function RosterPage() {
  const { id = '' } = useParams();
  const valid = UUID.test(id);
  const { t, s, lang } = useStudentI18n();
  const me = useMe();
  const [roster, setRoster] = useState<ClassRoster | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!valid) return;
    const controller = new AbortController();
    setError(null);
    api
      .get<ClassRoster>(`/api/classes/${id}/roster`, undefined, controller.signal)
      .then(setRoster, (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(
          isApiError(err)
            ? { status: err.status, message: err.message }
            : { status: 0, message: t('result.error') },
        );
      });
    return () => controller.abort();
  }, [id, valid, tick, t]);

  if (!valid || error?.status === 404) return <NotFound />;
  const cls = roster?.class.id === id ? roster.class : null;
  const classesLink = cls && me.unit.kind !== 'school' ? `/classes?school=${cls.school.id}` : '/classes';
  const crumbs = [{ title: s('stu.registry') }, { title: s('cls.title'), to: classesLink }];
  const title = cls ? `${gradeName(cls.stage, cls.grade, lang)} ${cls.name}` : s('cls.roster');
  const inSchool = roster?.students.filter((st) => st.status === 'enrolled').length ?? 0;

  return (
    <>
      <PageHeader title={cls ? s('cls.rosterTitle', { name: title }) : title} crumbs={crumbs} />
      {error && !cls ? (
        <Card>
          <Result
            status="error"
            title={t('result.error')}
            subTitle={error.message}
            extra={
              <Button type="primary" onClick={() => setTick((n) => n + 1)}>
                {t('result.retry')}
              </Button>
            }
          />
        </Card>
      ) : !cls || !roster ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Card size="small" className="block-gap">
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2, md: 3, lg: 3, xl: 5, xxl: 5 }}
              items={[
                { key: 'school', label: s('stu.school'), children: cls.school.name },
                { key: 'year', label: s('cls.schoolYear'), children: schoolYearText(cls.schoolYear, s) },
                { key: 'stage', label: s('stu.stage'), children: label(studentStageLabels, cls.stage, lang) },
                {
                  key: 'head',
                  label: s('cls.headTeacher'),
                  children: cls.headTeacher?.name ?? t('common.none'),
                },
                {
                  key: 'count',
                  label: s('cls.students'),
                  children: (
                    <span className="mono" data-testid="roster-count">
                      {inSchool} / {roster.students.length}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
          <Card size="small">
            <StudentList
              items={roster.students}
              loading={false}
              hideSchool
              pagination={
                roster.students.length > 50
                  ? { pageSize: 50, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }
                  : false
              }
              testId="roster-table"
            />
          </Card>
        </>
      )}
    </>
  );
}
