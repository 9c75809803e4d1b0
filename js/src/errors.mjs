// Keras's exception classes, as a Keras or TF.js user knows them. An error
// from the Go core arrives with its class's name (ValueError, TypeError,
// NotImplementedError; wasm/runtime.go errorName), and makeError gives the
// JS class of that name, so `err.name` and `instanceof` both tell what went
// wrong; every one is still `instanceof Error`. TypeError is JS's own.

/** ValueError: a bad value, shape or name (Keras raises ValueError). */
export class ValueError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ValueError';
  }
}

/** NotImplementedError: a Keras feature, class or argument value that keraswasm does not build (yet). */
export class NotImplementedError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'NotImplementedError';
  }
}

const classes = { ValueError, NotImplementedError, TypeError };

/**
 * makeError returns an error of the class called name (ValueError,
 * NotImplementedError, TypeError) with message; any other name (an internal
 * error of the runtime, or a user's exception of another class) gives a
 * plain Error.
 */
export function makeError(name, message, options) {
  const C = Object.hasOwn(classes, name) ? classes[name] : Error;
  return new C(message, options);
}
