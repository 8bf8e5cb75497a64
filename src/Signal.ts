import { ErrorCode } from "./ErrorCode.js";

/** A listener of a {@link Signal} with the given argument tuple. */
export type SignalListener<Args extends unknown[]> = (...args: Args) => void;

/**
 * A Godot signal: an object's named event that listeners connect to.
 *
 * gdnet emits signals only inside the owner's `poll()` (SPEC §1.4), after the owner's
 * state is updated, in event order. A listener may call any method of any object,
 * including `close()` or `poll()` of other objects. Listeners connected or disconnected
 * while a signal is being emitted take effect from its next emission.
 *
 * Ports: Godot's `Signal` (`connect`, `disconnect`, `is_connected`). Deviation: there are
 * no bind arguments or connection flags; close over the values instead, and disconnect
 * from inside the listener for a one-shot connection.
 */
export class Signal<Args extends unknown[] = []> {
  // Replaced (never mutated) when listeners change, so an emission in progress keeps
  // iterating the list it started with.
  #listeners: readonly SignalListener<Args>[] = [];

  /**
   * Connects `listener`. Connecting the same function twice returns
   * `ERR_INVALID_PARAMETER` and leaves one connection, as Godot does.
   * Ports: `Signal.connect`.
   */
  connect(listener: SignalListener<Args>): ErrorCode {
    if (typeof listener !== "function") throw new TypeError("Signal.connect expects a function");
    if (this.#listeners.includes(listener)) return ErrorCode.ERR_INVALID_PARAMETER;
    this.#listeners = [...this.#listeners, listener];
    return ErrorCode.OK;
  }

  /**
   * Disconnects `listener`; does nothing if it was not connected.
   * Ports: `Signal.disconnect` (Godot logs an error when not connected).
   */
  disconnect(listener: SignalListener<Args>): void {
    const index = this.#listeners.indexOf(listener);
    if (index < 0) return;
    const next = this.#listeners.slice();
    next.splice(index, 1);
    this.#listeners = next;
  }

  /** Whether `listener` is connected. Ports: `Signal.is_connected`. */
  isConnected(listener: SignalListener<Args>): boolean {
    return this.#listeners.includes(listener);
  }

  /** The number of connected listeners. Ports: `Signal.get_connections().size()`. */
  getConnectionCount(): number {
    return this.#listeners.length;
  }

  /** Whether anything listens; lets owners skip preparing arguments nobody reads. */
  hasConnections(): boolean {
    return this.#listeners.length > 0;
  }

  /**
   * Calls every listener in connection order with `args`. gdnet's own signals are
   * emitted by their objects inside `poll()`; call this for signals of your own classes
   * (as a ported GDScript class would call `emit_signal`). Ports `Signal.emit`.
   */
  emit(...args: Args): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(...args);
  }
}
