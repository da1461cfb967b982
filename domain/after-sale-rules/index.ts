export * from './defaults.js';
export * from './dry-run.js';
export * from './evaluate.js';
export * from './rule.js';
