/**
 * What the demo clinic and gym offer, as plain data: the sites' rules, departments, doctors and
 * coaches with their weekly rotas, rooms and studios, services, and the gym's class timetable.
 * demo-plan.ts turns this into mutations; nothing here touches a database.
 *
 * Rotas are made so the calendar stays bookable: at most three doctors who need a consulting room
 * work at once (there are three), the two dentists have a surgery each, and every class falls
 * inside its coach's hours.
 */
import type { WeeklyRange } from '../../../core/scheduling/scheduling.schema';

export type SiteKey = 'clinic' | 'gym';

/** "09:30" → 570 minutes after midnight. */
export function hm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + (m ?? 0);
}

/** The same ranges ("08:00-12:00") on each given ISO weekday. */
export function on(weekdays: readonly number[], ...ranges: string[]): WeeklyRange[] {
  return weekdays.flatMap((weekday) =>
    ranges.map((r) => {
      const [s, e] = r.split('-');
      return { weekday: weekday as WeeklyRange['weekday'], start: hm(s!), end: hm(e!) };
    }),
  );
}

const AM = '08:00-12:00';
const PM = '13:30-17:30';
const MON_SAT = [1, 2, 3, 4, 5, 6];
const MON_FRI = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

export interface SiteRulesDef {
  openingHours: WeeklyRange[];
  granularityMinutes: 15;
  holdMinutes: number;
  lateCancelHours: number;
  noShowGraceMinutes: number;
  waitlistAutoOffer: boolean;
  blacklistAfterNoShows: number | null;
  /** Closed on the public holidays, open on the make-up days (cn-holidays.ts). */
  publicHolidays: boolean;
}

export const SITE_RULES: Record<SiteKey, SiteRulesDef> = {
  clinic: {
    openingHours: on(MON_SAT, AM, PM),
    granularityMinutes: 15,
    holdMinutes: 15,
    lateCancelHours: 24,
    noShowGraceMinutes: 15,
    waitlistAutoOffer: true,
    blacklistAfterNoShows: 3,
    publicHolidays: true,
  },
  gym: {
    openingHours: on(EVERY_DAY, '06:00-22:00'),
    granularityMinutes: 15,
    holdMinutes: 10,
    lateCancelHours: 12,
    noShowGraceMinutes: 10,
    waitlistAutoOffer: true,
    blacklistAfterNoShows: null,
    publicHolidays: false,
  },
};

export interface DepartmentDef {
  key: string;
  name: string;
  colour: string;
}

export const DEPARTMENTS: readonly DepartmentDef[] = [
  { key: 'im', name: '内科 Internal medicine', colour: '#1677ff' },
  { key: 'paed', name: '儿科 Paediatrics', colour: '#fa8c16' },
  { key: 'dent', name: '口腔科 Dentistry', colour: '#13c2c2' },
  { key: 'rehab', name: '康复科 Physiotherapy', colour: '#52c41a' },
  { key: 'tcm', name: '中医科 Traditional Chinese medicine', colour: '#a0522d' },
];

export interface RotaDef {
  ranges: WeeklyRange[];
  /** Every other week: 0 = the demo's current week and every second week from it, 1 = the others. */
  alternate?: 0 | 1;
}

export interface StaffDef {
  key: string;
  site: SiteKey;
  kind: 'practitioner' | 'coach';
  name: string;
  department: string | null;
  colour: string;
  rota: RotaDef[];
  /** Leave as whole days, counted from the Monday of the demo's current week (first and last). */
  leaveDays?: [number, number];
  /** The appointment services this person gives, with how often they come up in the demo. */
  services: Record<string, number>;
}

const IM = { 'im-consult': 6, 'im-first': 3, 'im-checkup': 1 };

export const STAFF: readonly StaffDef[] = [
  {
    key: 'wang',
    site: 'clinic',
    kind: 'practitioner',
    name: '王建华 Dr Wang Jianhua',
    department: 'im',
    colour: '#1d39c4',
    rota: [{ ranges: [...on([1, 2, 3, 5], AM, PM), ...on([4], AM)] }],
    services: IM,
  },
  {
    key: 'chen',
    site: 'clinic',
    kind: 'practitioner',
    name: '陈晓燕 Dr Chen Xiaoyan',
    department: 'im',
    colour: '#2f54eb',
    rota: [{ ranges: [...on([1, 3, 5, 6], AM), ...on([2, 4], PM)] }],
    // Annual leave from next Wednesday to next Friday.
    leaveDays: [9, 11],
    services: { ...IM, 'im-checkup': 2 },
  },
  {
    key: 'li',
    site: 'clinic',
    kind: 'practitioner',
    name: '李思远 Dr Li Siyuan',
    department: 'paed',
    colour: '#d46b08',
    rota: [{ ranges: on(MON_SAT, AM) }],
    services: { 'paed-consult': 3, 'paed-vaccine': 1 },
  },
  {
    key: 'zhou',
    site: 'clinic',
    kind: 'practitioner',
    name: '周雨桐 Dr Zhou Yutong',
    department: 'paed',
    colour: '#fa541c',
    rota: [{ ranges: on(MON_FRI, PM) }, { ranges: on([6], AM, PM), alternate: 0 }],
    services: { 'paed-consult': 4, 'paed-vaccine': 1 },
  },
  {
    key: 'zhang',
    site: 'clinic',
    kind: 'practitioner',
    name: '张志明 Dr Zhang Zhiming',
    department: 'dent',
    colour: '#08979c',
    rota: [{ ranges: on(MON_FRI, AM, PM) }],
    services: { 'dent-check': 3, 'dent-clean': 4, 'dent-fill': 3 },
  },
  {
    key: 'liu',
    site: 'clinic',
    kind: 'practitioner',
    name: '刘佳琪 Dr Liu Jiaqi',
    department: 'dent',
    colour: '#36cfc9',
    rota: [{ ranges: on([2, 3, 4, 5], AM, PM) }, { ranges: on([6], AM, PM), alternate: 1 }],
    services: { 'dent-check': 3, 'dent-clean': 5, 'dent-fill': 2 },
  },
  {
    key: 'zhao',
    site: 'clinic',
    kind: 'practitioner',
    name: '赵海燕 Therapist Zhao Haiyan',
    department: 'rehab',
    colour: '#389e0d',
    rota: [{ ranges: [...on(MON_FRI, AM, PM), ...on([6], AM)] }],
    services: { 'rehab-session': 4, 'rehab-assess': 1 },
  },
  {
    key: 'sun',
    site: 'clinic',
    kind: 'practitioner',
    name: '孙国强 Dr Sun Guoqiang',
    department: 'tcm',
    colour: '#874d00',
    rota: [{ ranges: [...on([2, 4], AM), ...on([1, 3, 5], PM)] }, { ranges: on([6], AM), alternate: 1 }],
    services: { 'tcm-consult': 3, 'tcm-acu': 2 },
  },
  {
    key: 'zhoujie',
    site: 'gym',
    kind: 'coach',
    name: '周杰 Coach Zhou Jie',
    department: null,
    colour: '#cf1322',
    rota: [{ ranges: [...on(MON_FRI, '06:30-10:00', '17:00-21:00'), ...on([6], '09:00-13:00')] }],
    services: { pt: 6, 'pt-trial': 1 },
  },
  {
    key: 'huang',
    site: 'gym',
    kind: 'coach',
    name: '黄诗涵 Coach Huang Shihan',
    department: null,
    colour: '#c41d7f',
    rota: [{ ranges: [...on([2, 4], '06:30-12:00', '17:30-21:00'), ...on([1, 3], '10:00-14:00'), ...on([6], '08:30-14:00')] }],
    services: { pt: 5, 'pt-trial': 1 },
  },
  {
    key: 'lin',
    site: 'gym',
    kind: 'coach',
    name: '林梦瑶 Coach Lin Mengyao',
    department: null,
    colour: '#722ed1',
    rota: [{ ranges: [...on(MON_FRI, '13:00-21:30'), ...on([7], '08:30-14:00')] }],
    services: { pt: 5, 'pt-trial': 1 },
  },
  {
    key: 'ma',
    site: 'gym',
    kind: 'coach',
    name: '马俊杰 Coach Ma Junjie',
    department: null,
    colour: '#d4380d',
    rota: [{ ranges: [...on(MON_FRI, '11:00-21:00'), ...on([6], '14:00-20:00')] }],
    services: { pt: 6, 'pt-trial': 1 },
  },
  {
    key: 'guo',
    site: 'gym',
    kind: 'coach',
    name: '郭浩然 Coach Guo Haoran',
    department: null,
    colour: '#0958d9',
    rota: [{ ranges: on([3, 4, 5, 6, 7], '09:00-13:00', '14:00-19:00') }],
    services: { pt: 8, 'pt-trial': 2 },
  },
  {
    key: 'emma',
    site: 'gym',
    kind: 'coach',
    name: 'Emma Walker 艾玛教练',
    department: null,
    colour: '#08979c',
    rota: [{ ranges: [...on([1, 3, 5], '17:00-21:00'), ...on([6, 7], '09:00-13:00')] }],
    services: { pt: 3, 'pt-trial': 1 },
  },
];

export interface RoomDef {
  key: string;
  site: SiteKey;
  kind: string;
  name: string;
  department: string | null;
  capacity: number | null;
}

export const ROOMS: readonly RoomDef[] = [
  { key: 'room1', site: 'clinic', kind: 'room', name: '诊室 1 Consulting room 1', department: null, capacity: 3 },
  { key: 'room2', site: 'clinic', kind: 'room', name: '诊室 2 Consulting room 2', department: null, capacity: 3 },
  { key: 'room3', site: 'clinic', kind: 'room', name: '诊室 3 Consulting room 3', department: null, capacity: 3 },
  { key: 'dent1', site: 'clinic', kind: 'dental_room', name: '口腔诊室 1 Dental surgery 1', department: 'dent', capacity: 2 },
  { key: 'dent2', site: 'clinic', kind: 'dental_room', name: '口腔诊室 2 Dental surgery 2', department: 'dent', capacity: 2 },
  { key: 'therapy', site: 'clinic', kind: 'therapy_room', name: '康复治疗室 Therapy room', department: 'rehab', capacity: 2 },
  { key: 'yoga', site: 'gym', kind: 'studio', name: '瑜伽室 Yoga studio', department: null, capacity: 20 },
  { key: 'spin', site: 'gym', kind: 'studio', name: '单车房 Spin studio', department: null, capacity: 15 },
  { key: 'pilates', site: 'gym', kind: 'studio', name: '普拉提室 Pilates studio', department: null, capacity: 12 },
  { key: 'group', site: 'gym', kind: 'studio', name: '综合操房 Group studio', department: null, capacity: 24 },
];

export interface ServiceDef {
  key: string;
  site: SiteKey;
  name: string;
  category: string;
  department: string | null;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  seats: number;
  resourceKinds: string[];
  /** Price in fen (CNY minor units). */
  price: number;
  minNoticeMinutes: number;
  colour: string;
}

const svc = (s: Omit<ServiceDef, 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'seats' | 'minNoticeMinutes'> & Partial<ServiceDef>): ServiceDef => ({
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  seats: 1,
  minNoticeMinutes: 0,
  ...s,
});

const DOCTOR_ROOM = ['practitioner', 'room'];
const CLASS = ['coach', 'studio'];

export const SERVICES: readonly ServiceDef[] = [
  svc({ key: 'im-consult', site: 'clinic', name: '内科门诊 Internal medicine consultation', category: '门诊 Consultations', department: 'im', durationMinutes: 20, bufferAfterMinutes: 10, resourceKinds: DOCTOR_ROOM, price: 3000, colour: '#1677ff' }),
  svc({ key: 'im-first', site: 'clinic', name: '内科初诊 First visit, internal medicine', category: '门诊 Consultations', department: 'im', durationMinutes: 30, resourceKinds: DOCTOR_ROOM, price: 5000, colour: '#4096ff' }),
  svc({ key: 'im-checkup', site: 'clinic', name: '健康体检 Health check-up', category: '体检 Check-ups', department: 'im', durationMinutes: 60, bufferAfterMinutes: 15, resourceKinds: DOCTOR_ROOM, price: 39900, colour: '#0958d9' }),
  svc({ key: 'paed-consult', site: 'clinic', name: '儿科门诊 Paediatric consultation', category: '门诊 Consultations', department: 'paed', durationMinutes: 20, bufferAfterMinutes: 10, resourceKinds: DOCTOR_ROOM, price: 4000, colour: '#fa8c16' }),
  svc({ key: 'paed-vaccine', site: 'clinic', name: '儿童疫苗接种 Child vaccination', category: '预防 Prevention', department: 'paed', durationMinutes: 15, bufferAfterMinutes: 15, resourceKinds: DOCTOR_ROOM, price: 2000, colour: '#ffa940' }),
  svc({ key: 'dent-check', site: 'clinic', name: '口腔检查 Dental check-up', category: '门诊 Consultations', department: 'dent', durationMinutes: 30, bufferAfterMinutes: 15, resourceKinds: ['practitioner', 'dental_room'], price: 8000, colour: '#13c2c2' }),
  svc({ key: 'dent-clean', site: 'clinic', name: '洁牙 Dental cleaning', category: '治疗 Treatments', department: 'dent', durationMinutes: 45, bufferAfterMinutes: 15, resourceKinds: ['practitioner', 'dental_room'], price: 28800, colour: '#36cfc9' }),
  svc({ key: 'dent-fill', site: 'clinic', name: '补牙 Filling', category: '治疗 Treatments', department: 'dent', durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 15, resourceKinds: ['practitioner', 'dental_room'], price: 45000, colour: '#08979c' }),
  svc({ key: 'rehab-assess', site: 'clinic', name: '康复评估 Physiotherapy assessment', category: '门诊 Consultations', department: 'rehab', durationMinutes: 60, resourceKinds: ['practitioner', 'therapy_room'], price: 20000, colour: '#52c41a' }),
  svc({ key: 'rehab-session', site: 'clinic', name: '康复理疗 Physiotherapy session', category: '治疗 Treatments', department: 'rehab', durationMinutes: 45, bufferAfterMinutes: 15, resourceKinds: ['practitioner', 'therapy_room'], price: 18000, colour: '#73d13d' }),
  svc({ key: 'tcm-consult', site: 'clinic', name: '中医问诊 TCM consultation', category: '门诊 Consultations', department: 'tcm', durationMinutes: 30, resourceKinds: DOCTOR_ROOM, price: 6000, colour: '#a0522d' }),
  svc({ key: 'tcm-acu', site: 'clinic', name: '针灸 Acupuncture', category: '治疗 Treatments', department: 'tcm', durationMinutes: 45, bufferAfterMinutes: 15, resourceKinds: ['practitioner', 'therapy_room'], price: 15000, colour: '#874d00' }),
  svc({ key: 'pt', site: 'gym', name: '私教课 Personal training (1:1)', category: '私教 Personal training', department: null, durationMinutes: 60, resourceKinds: ['coach'], price: 38000, minNoticeMinutes: 120, colour: '#cf1322' }),
  svc({ key: 'pt-trial', site: 'gym', name: '私教体验课 Personal training trial', category: '私教 Personal training', department: null, durationMinutes: 30, bufferAfterMinutes: 15, resourceKinds: ['coach'], price: 9900, minNoticeMinutes: 120, colour: '#ff7875' }),
  svc({ key: 'yoga', site: 'gym', name: '瑜伽 Yoga', category: '团课 Group classes', department: null, durationMinutes: 60, bufferAfterMinutes: 15, seats: 20, resourceKinds: CLASS, price: 8000, colour: '#722ed1' }),
  svc({ key: 'spin', site: 'gym', name: '动感单车 Spin', category: '团课 Group classes', department: null, durationMinutes: 45, bufferAfterMinutes: 15, seats: 15, resourceKinds: CLASS, price: 6000, colour: '#eb2f96' }),
  svc({ key: 'pilates', site: 'gym', name: '普拉提 Pilates', category: '团课 Group classes', department: null, durationMinutes: 50, bufferAfterMinutes: 15, seats: 12, resourceKinds: CLASS, price: 12000, colour: '#13c2c2' }),
  svc({ key: 'hiit', site: 'gym', name: 'HIIT 燃脂训练 HIIT', category: '团课 Group classes', department: null, durationMinutes: 45, bufferAfterMinutes: 15, seats: 16, resourceKinds: CLASS, price: 7000, colour: '#fa541c' }),
];

export interface ClassDef {
  service: string;
  weekdays: number[];
  time: string;
  coach: string;
  room: string;
}

/** The gym's weekly class timetable. */
export const TIMETABLE: readonly ClassDef[] = [
  { service: 'spin', weekdays: [1, 3, 5], time: '07:00', coach: 'zhoujie', room: 'spin' },
  { service: 'yoga', weekdays: [2, 4], time: '07:00', coach: 'huang', room: 'yoga' },
  { service: 'hiit', weekdays: MON_FRI, time: '12:15', coach: 'ma', room: 'group' },
  { service: 'spin', weekdays: MON_FRI, time: '18:30', coach: 'zhoujie', room: 'spin' },
  { service: 'yoga', weekdays: [1, 3, 5], time: '19:00', coach: 'lin', room: 'yoga' },
  { service: 'yoga', weekdays: [2, 4], time: '19:00', coach: 'huang', room: 'yoga' },
  { service: 'pilates', weekdays: [1, 3, 5], time: '19:30', coach: 'emma', room: 'pilates' },
  { service: 'pilates', weekdays: [2, 4], time: '19:30', coach: 'lin', room: 'pilates' },
  { service: 'yoga', weekdays: [6], time: '09:00', coach: 'huang', room: 'yoga' },
  { service: 'yoga', weekdays: [7], time: '09:00', coach: 'lin', room: 'yoga' },
  { service: 'spin', weekdays: [6], time: '10:00', coach: 'zhoujie', room: 'spin' },
  { service: 'spin', weekdays: [7], time: '10:00', coach: 'guo', room: 'spin' },
  { service: 'pilates', weekdays: [6, 7], time: '10:30', coach: 'emma', room: 'pilates' },
  { service: 'hiit', weekdays: [6], time: '16:00', coach: 'ma', room: 'group' },
  { service: 'hiit', weekdays: [7], time: '16:00', coach: 'guo', room: 'group' },
];

/** Why customers and staff cancel, as a receptionist would type it. */
export const CUSTOMER_CANCEL_REASONS = [
  '临时出差 Away on business',
  '孩子发烧，改天再来 Child has a fever',
  '症状已好转 Feeling better',
  '工作时间冲突 Clash with work',
  '下雨出行不便 Heavy rain',
  '家里有事 Family matters',
];
export const STAFF_CANCEL_REASONS = ['医生临时外出会诊 Doctor called away', '设备检修 Equipment maintenance'];
export const SESSION_CANCEL_REASON = '教练临时请假，已短信通知会员 Coach unwell; members told by SMS';

export const BOOKING_NOTES = [
  '复诊 Follow-up',
  '需家长陪同 Comes with a parent',
  '青霉素过敏 Allergic to penicillin',
  '医保 Medical insurance',
  '第一次来，提前10分钟到 First visit: arrive 10 min early',
  '',
];
