/**
 * A parsed JSON answer of the server under test. Its shape is what the test asserts, so it is left
 * open here rather than cast to the server's own types (which would make the test trust the code it checks).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;
