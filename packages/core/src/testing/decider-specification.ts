import { expect } from "vitest";

/** A pure process: what to do on an input, and how the input changes the state. */
export interface Decider<State, Input, Command> {
  decide(state: State, input: Input): Command[];
  evolve(state: State, input: Input): State;
  initialState(): State;
}

/** The outcome checks of one given/when specification. */
export interface DeciderThen<State, Command> {
  /** Asserts the commands decided for the `when` input, in order. */
  then(expected: readonly Command[]): void;
  /** Asserts the state after the `when` input (a partial object is matched with toMatchObject). */
  thenState(expected: Partial<State> | ((state: State) => void)): void;
}

/**
 * A given/when/then helper for pure deciders, after Emmett's WorkflowSpecification:
 * `spec([placed, captured]).when(delivered).then([payRestaurant])`. `given` inputs are folded with
 * `evolve` only (their commands are not checked); `when` is both decided and evolved from that state.
 */
export const DeciderSpecification = {
  for<State, Input, Command>(decider: Decider<State, Input, Command>) {
    return (given: readonly Input[] = []) => ({
      when(input: Input): DeciderThen<State, Command> {
        const state = given.reduce((s, i) => decider.evolve(s, i), decider.initialState());
        return {
          then(expected) {
            expect(decider.decide(state, input)).toEqual(expected);
          },
          thenState(expected) {
            const after = decider.evolve(state, input);
            if (typeof expected === "function") expected(after);
            else expect(after).toMatchObject(expected as object);
          },
        };
      },
    });
  },
};
