/**
 * Pinyin initials of a name for search ('zsf' for 张三丰): the one place the registry computes them, for
 * forms, the demo and (through the same helper) imports. The reading itself is the import engine's
 * `pinyinInitials` (pinyin-pro, with surname readings: 单 shan, 曾 zeng …).
 */
import { pinyinInitials } from '../../platform/imports/pinyin.js';

/** Lower-case pinyin initials of a name, as stored in student.name_initials. */
export function initialsOf(name: string): string {
  return pinyinInitials(name);
}
