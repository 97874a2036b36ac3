import { gradeLabels, type AssessGrade } from '@dudao/contracts';

export const assessGradeLabel = (g: AssessGrade) => gradeLabels[g].zh;
