export * from './zoned-time';
export * from './intervals';
export * from './scheduling.schema';
export * from './schedule';
export * from './availability';
