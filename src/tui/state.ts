// The dashboard's navigation as a pure reducer: which screen (a stack, for Esc), which mode the
// keys are in, and the line of feedback. No I/O: the App runs what an event asks for.
import { viewNamed, type ListView, type Role, type Row } from './views/index.js';
import type { RowAction } from './views/types.js';

export type Screen =
  | { kind: 'list'; view: string; filter: string; selected: number }
  | { kind: 'tenant'; ref: string; title: string }
  | { kind: 'record'; title: string; row: Row };

export type Mode =
  | { kind: 'normal' }
  | { kind: 'command'; text: string }
  | { kind: 'filter'; text: string }
  | { kind: 'help' }
  | { kind: 'actions'; actions: RowAction[] }
  | { kind: 'confirm'; action: RowAction }
  | { kind: 'running'; action: RowAction };

export interface Message {
  text: string;
  tone: 'info' | 'error';
  /** the equivalent command line, shown with an action's outcome */
  command?: string;
}

export interface State {
  stack: Screen[];
  mode: Mode;
  message?: Message;
  /** bumped to ask every pane again now (`r`, after an action) */
  refresh: number;
  quit: boolean;
}

/** A key as Ink reports it, with what the screen showed when it was pressed. */
export interface Press {
  input: string;
  key: { escape?: boolean; return?: boolean; upArrow?: boolean; downArrow?: boolean; pageUp?: boolean; pageDown?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean };
  /** the current list's rows, when it has answered */
  rows: Row[] | undefined;
  role: Role;
  /** the profile's name when it is read-only */
  readOnly: string | undefined;
}

export type Event =
  | { type: 'move'; by: number; rows: number }
  | { type: 'drill'; view: ListView<Row>; row: Row }
  | { type: 'back' }
  | { type: 'begin'; mode: 'command' | 'filter' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'submit'; role: Role }
  | { type: 'cancel' }
  | { type: 'help' }
  | { type: 'actions'; actions: RowAction[] }
  | { type: 'choose'; action: RowAction; role: Role; readOnly: string | undefined }
  | { type: 'confirmed' }
  | { type: 'done'; message: Message }
  | { type: 'say'; message: Message }
  | { type: 'refresh' }
  | { type: 'quit' }
  | ({ type: 'key' } & Press);

export function initialState(view: string): State {
  return { stack: [{ kind: 'list', view, filter: '', selected: 0 }], mode: { kind: 'normal' }, refresh: 0, quit: false };
}

export const current = (state: State): Screen => state.stack[state.stack.length - 1]!;

function replaceTop(state: State, screen: Screen): State {
  return { ...state, stack: [...state.stack.slice(0, -1), screen] };
}

export function reduce(state: State, event: Event): State {
  const top = current(state);
  switch (event.type) {
    case 'move': {
      if (top.kind !== 'list' || event.rows === 0) return state;
      const selected = Math.max(0, Math.min(event.rows - 1, top.selected + event.by));
      return replaceTop({ ...state, message: undefined }, { ...top, selected });
    }
    case 'drill': {
      const tenant = event.view.tenantOf?.(event.row);
      const label = event.view.columns[0]!.value(event.row);
      const screen: Screen = tenant ? { kind: 'tenant', ref: tenant, title: `tenant ${tenant}` } : { kind: 'record', title: `${event.view.title}: ${label}`, row: event.row };
      return { ...state, stack: [...state.stack, screen], message: undefined };
    }
    case 'back':
      if (top.kind === 'list' && top.filter) return replaceTop({ ...state, message: undefined }, { ...top, filter: '', selected: 0 });
      return state.stack.length > 1 ? { ...state, stack: state.stack.slice(0, -1), message: undefined } : state;
    case 'begin':
      if (event.mode === 'filter' && top.kind !== 'list') return { ...state, message: { text: '/ filters a list; Esc goes back to one', tone: 'error' } };
      return { ...state, mode: { kind: event.mode, text: event.mode === 'filter' && top.kind === 'list' ? top.filter : '' }, message: undefined };
    case 'type':
      return state.mode.kind === 'command' || state.mode.kind === 'filter' ? { ...state, mode: { ...state.mode, text: state.mode.text + event.text } } : state;
    case 'erase':
      return state.mode.kind === 'command' || state.mode.kind === 'filter' ? { ...state, mode: { ...state.mode, text: state.mode.text.slice(0, -1) } } : state;
    case 'submit':
      if (state.mode.kind === 'filter' && top.kind === 'list') return replaceTop({ ...state, mode: { kind: 'normal' } }, { ...top, filter: state.mode.text.trim(), selected: 0 });
      if (state.mode.kind === 'command') return openView({ ...state, mode: { kind: 'normal' } }, state.mode.text.trim(), event.role);
      return state;
    case 'cancel':
      return { ...state, mode: { kind: 'normal' } };
    case 'help':
      return { ...state, mode: { kind: 'help' } };
    case 'actions':
      if (event.actions.length === 0) return { ...state, message: { text: 'no actions for this row', tone: 'info' } };
      return { ...state, mode: { kind: 'actions', actions: event.actions }, message: undefined };
    case 'choose': {
      const { action } = event;
      if (event.readOnly !== undefined) {
        return { ...state, mode: { kind: 'normal' }, message: { text: `profile "${event.readOnly}" is read-only: ${action.label} refused, nothing was changed`, tone: 'error', command: action.command } };
      }
      if (!action.roles.includes(event.role)) {
        return { ...state, mode: { kind: 'normal' }, message: { text: `the ${event.role} role may not ${action.label} (${action.roles.join(' or ')} only)`, tone: 'error', command: action.command } };
      }
      return { ...state, mode: { kind: 'confirm', action }, message: undefined };
    }
    case 'confirmed':
      return state.mode.kind === 'confirm' ? { ...state, mode: { kind: 'running', action: state.mode.action } } : state;
    case 'done':
      return { ...state, mode: { kind: 'normal' }, message: event.message, refresh: state.refresh + (state.mode.kind === 'running' ? 1 : 0) };
    case 'refresh':
      return { ...state, refresh: state.refresh + 1 };
    case 'quit':
      return { ...state, quit: true };
    case 'key':
      return reduceKey(state, event);
    case 'say':
      return { ...state, message: event.message };
  }
}

function openView(state: State, name: string, role: Role): State {
  if (!name) return state;
  const view = viewNamed(name);
  if (!view) return { ...state, message: { text: `unknown view: ${name}`, tone: 'error' } };
  if (!view.roles.includes(role)) return { ...state, message: { text: `the ${view.name} view is not available to the ${role} role`, tone: 'error' } };
  return { ...state, stack: [{ kind: 'list', view: view.name, filter: '', selected: 0 }], message: undefined };
}

/** The selected row of the current list, as the rows stand. */
export function selectedRow(state: State, rows: Row[] | undefined): Row | undefined {
  const top = current(state);
  if (top.kind !== 'list' || !rows || rows.length === 0) return undefined;
  return rows[Math.min(top.selected, rows.length - 1)];
}

/**
 * What a key does, by mode. Keys are reduced here, against the state they arrive in, so keys typed
 * faster than the screen redraws (a pasted `:tenants`) still land in the mode the one before opened.
 */
function reduceKey(state: State, press: Press): State {
  const { input, key, rows, role } = press;
  // a terminal hands over text typed or pasted quickly as one chunk, Enter included: one key at a time
  if ([...input].length > 1 && /[\r\n]/.test(input)) {
    return [...input].reduce((next, char) => reduceKey(next, { ...press, input: /[\r\n]/.test(char) ? '' : char, key: /[\r\n]/.test(char) ? { return: true } : {} }), state);
  }
  const mode = state.mode;
  if (mode.kind === 'help') return reduce(state, { type: 'cancel' });
  if (mode.kind === 'command' || mode.kind === 'filter') {
    if (key.escape) return reduce(state, { type: 'cancel' });
    if (key.return) return reduce(state, { type: 'submit', role });
    if (key.backspace || key.delete) return reduce(state, { type: 'erase' });
    if (input && !key.ctrl && !key.meta) return reduce(state, { type: 'type', text: input });
    return state;
  }
  if (mode.kind === 'actions') {
    const action = mode.actions.find((a) => a.key === input);
    if (action) return reduce(state, { type: 'choose', action, role, readOnly: press.readOnly });
    return key.escape ? reduce(state, { type: 'cancel' }) : state;
  }
  if (mode.kind === 'confirm') {
    if (input === 'y') return reduce(state, { type: 'confirmed' });
    if (input === 'n' || key.escape) return reduce(state, { type: 'done', message: { text: `${mode.action.label}: not confirmed, nothing was changed`, tone: 'info' } });
    return state;
  }
  if (mode.kind === 'running') return state;
  const top = current(state);
  const view = top.kind === 'list' ? viewNamed(top.view) : undefined;
  const row = selectedRow(state, rows);
  const count = rows?.length ?? 0;
  if (input === 'q') return reduce(state, { type: 'quit' });
  if (input === 'j' || key.downArrow) return reduce(state, { type: 'move', by: 1, rows: count });
  if (input === 'k' || key.upArrow) return reduce(state, { type: 'move', by: -1, rows: count });
  if (key.pageDown) return reduce(state, { type: 'move', by: 10, rows: count });
  if (key.pageUp) return reduce(state, { type: 'move', by: -10, rows: count });
  if (key.return) return view && row ? reduce(state, { type: 'drill', view, row }) : state;
  if (key.escape) return reduce(state, { type: 'back' });
  if (input === ':') return reduce(state, { type: 'begin', mode: 'command' });
  if (input === '/') return reduce(state, { type: 'begin', mode: 'filter' });
  if (input === '?') return reduce(state, { type: 'help' });
  if (input === 'r') return reduce(state, { type: 'refresh' });
  if (input === 'a') {
    if (view && row) return reduce(state, { type: 'actions', actions: view.actions?.(row) ?? [] });
    return reduce(state, { type: 'say', message: { text: 'a acts on the selected row of a list', tone: 'info' } });
  }
  return state;
}
