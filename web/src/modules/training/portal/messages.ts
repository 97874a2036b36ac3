/** Texts of the public portal's training pages ([中文, English]). */
import { moduleMessages } from '../../../app/i18n.tsx';

export const usePortalTrainingI18n = moduleMessages({
  'p.searchTitle': ['查询校外培训机构', 'Find an off-campus training institution'],
  'p.searchHint': ['输入机构名称或18位统一社会信用代码', 'Type a name or the 18-character credit code'],
  'p.search': ['查询', 'Search'],
  'p.results': ['共找到 {n} 家机构', '{n} institutions found'],
  'p.none': [
    '没有找到符合条件的机构。未在公示范围内的机构请谨慎选择，可向教育部门咨询或举报。',
    'No institution found. Be careful with institutions that are not published; ask the bureau or report it.',
  ],
  'p.tip': [
    '选择培训机构前，请确认其在白名单内、办学许可证在有效期内、预收费纳入监管；不要一次性缴纳超过3个月或60课时的费用。',
    'Before choosing, check that the institution is on the white list, its licence is valid and its prepaid fees are supervised; never pay more than 3 months or 60 class hours at once.',
  ],
  'p.county': ['区县', 'County'],
  'p.category': ['类别', 'Category'],
  'p.code': ['统一社会信用代码', 'Credit code'],
  'p.licence': ['办学许可证', 'Licence'],
  'p.licenceValid': ['有效期内', 'valid'],
  'p.licenceInvalid': ['不在有效期内', 'not valid'],
  'p.validTo': ['有效期至 {d}', 'valid to {d}'],
  'p.venues': ['审批通过的培训场所', 'Approved venues'],
  'p.noVenue': ['无', 'None'],
  'p.prepaid': ['预收费监管', 'Prepaid fees'],
  'p.supervised': ['已纳入监管', 'Supervised'],
  'p.notSupervised': ['未纳入监管，请谨慎缴费', 'Not supervised — be careful'],
  'p.status': ['经营状态', 'Status'],
  'p.complain': ['投诉举报', 'Complain'],
  'p.complainTo': ['受理单位：{b}', 'Handled by {b}'],
  'p.blackReason': ['列入黑名单：{r}（{d}）', 'Black-listed: {r} ({d})'],
  'p.lists': ['公示名单', 'Published lists'],
  'p.allCounties': ['全部区县', 'All counties'],
  'p.allCategories': ['全部类别', 'All categories'],
  'p.detail': ['查看详情', 'Details'],
  'p.back': ['返回', 'Back'],
});
