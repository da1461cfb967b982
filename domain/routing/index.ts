export * from './defaults.js';
export * from './dry-run.js';
export * from './route.js';
export * from './rule.js';
