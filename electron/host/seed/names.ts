/**
 * Name material for demo data: common Chinese surnames (by frequency) and given names, and
 * English names, so demo customers look like a real register in a Chinese city.
 */
export const CN_SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '欧阳', '司马', '诸葛', '上官',
];

export const CN_GIVEN = [
  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
  '平', '刚', '桂英', '建华', '文', '华', '红', '玉兰', '志强', '海燕', '晓东', '雪', '琳', '子涵', '梓萱', '浩然', '一诺',
  '欣怡', '宇轩', '雨桐', '俊杰', '思远', '嘉怡', '博文', '天宇', '佳琪', '诗涵', '晨曦', '若曦', '子轩', '梦瑶', '家豪',
  '三', '小红', '建国', '国强', '淑珍', '丽娟', '春梅', '志明',
];

export const EN_FIRST = [
  'Emma', 'Olivia', 'Ava', 'Sophia', 'Mia', 'Amelia', 'Charlotte', 'Grace', 'Chloe', 'Lucy', 'James', 'Oliver', 'William',
  'Henry', 'Lucas', 'Daniel', 'Michael', 'David', 'Thomas', 'Samuel', 'Joanna', 'Rachel', 'Hannah', 'Peter', 'Anna',
  'Kevin', 'Laura', 'Mark', 'Sarah', 'Ethan',
];

export const EN_LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Thomas', 'Moore',
  'Martin', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson',
  'Carter', 'Mitchell', 'Roberts', 'Turner', 'Campbell',
];

/** Regions for demo ID numbers: Beijing Dongcheng, Shanghai Xuhui, Shenzhen Nanshan, Hangzhou Xihu, Chengdu Wuhou. */
export const CN_REGIONS = ['110101', '310104', '440305', '330106', '510107'];

export const TAGS_ZH = ['会员', 'VIP', '过敏史', '老客户', '新客户', '团课', '私教', '医保'];
