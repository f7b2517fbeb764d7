/** Every key the dashboard answers, as `?` lists them (and the README). */
export const KEYS: readonly [string, string][] = [
  ['j / ↓', 'move down'],
  ['k / ↑', 'move up'],
  ['Enter', "drill into the selected row (a tenant's detail: health, configs, deployments, tickets)"],
  ['Esc', 'back (and clear a filter)'],
  [':NAME', 'open a view: tenants, deployments, health, tickets, quotes, pipeline, commissions, customers'],
  ['/TEXT', 'filter the list by text, over the whole list through the API'],
  ['a', "the selected row's actions, each with its key (confirmed with y)"],
  ['r', 'refresh now'],
  ['?', 'these keys'],
  ['q', 'quit'],
];
