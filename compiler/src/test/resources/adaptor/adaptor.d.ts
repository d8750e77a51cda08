export interface State {
  configuration: object;
  data: object;
}

/**
 * An operation. export function notMe() is in a comment.
 */
export declare function x(s: State): State;

export declare function y(s: State): State;
