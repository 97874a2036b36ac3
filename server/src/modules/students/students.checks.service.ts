/** The consistency report of the student registry (reported, never fixed). */
import { STUDENT_CHECK_TYPES, type StudentCheckPage, type StudentCheckQuery } from '@dudao/contracts';
import type { Actor } from '../../platform/access/actor.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { studentPolicy } from './students.policy.js';
import * as repo from './students.repository.js';

import { UNIT, currentSchoolYear, maskedId } from './students.mapping.js';
// ---------- consistency report ----------

/** The consistency report over the students in scope (optionally under a unit). Reported, never fixed. */
export async function studentChecks(
  ctx: AppContext,
  actor: Actor,
  q: StudentCheckQuery,
): Promise<StudentCheckPage> {
  let underPath: string | undefined;
  if (q.under) {
    const under = await repo.findUnitInScope(ctx.db, actor, q.under, 'student.read');
    if (!under) throw notFound(UNIT);
    underPath = under.path;
  }
  const schoolYear = q.schoolYear ? Number(q.schoolYear) : currentSchoolYear();
  const { counts, total, items } = await repo.runChecks(ctx.db, actor, {
    underPath,
    type: q.type,
    schoolYear,
    page: q.page,
    pageSize: q.pageSize,
  });
  return {
    items: items.map((r) => ({
      type: r.type,
      student: {
        id: r.student_id,
        name: r.name,
        sex: r.sex,
        birthDate: r.birth_date,
        idNumberMasked: maskedId(ctx, r.id_number_enc),
        stage: r.stage,
        grade: r.grade,
        status: r.status,
      },
      school: { id: r.school_id, name: r.school_name, code: r.school_code },
      // The ID number's birth date is its masked part: only those who may reveal it see it.
      expected:
        r.type === 'id_birth_mismatch' && !studentPolicy.canReveal(actor, { school_path: r.school_path })
          ? null
          : r.expected,
      otherSchools: r.other_schools ?? [],
      age: r.age,
      normalAge: r.normal_age,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    counts: Object.fromEntries(
      STUDENT_CHECK_TYPES.map((t) => [t, counts[t] ?? 0]),
    ) as StudentCheckPage['counts'],
    schoolYear: String(schoolYear),
  };
}
