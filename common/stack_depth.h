// PostgreSQL's check_stack_depth: code that recurses over what a client sent (the parser, the
// binder, the planner's rewrites, the expression evaluator) calls CheckStackDepth(), which
// raises 54001 "stack depth limit exceeded" while the calling thread still has a reserve of
// stack, so that a statement nested too deeply gets an error instead of crashing the server.
//
// Thread safety: each thread measures its own stack (once, on its first call).
#pragma once

namespace activestore {

// Throws 54001 when less than the reserve (a quarter of the thread's stack, at least 256 kB)
// is left below the caller's frame.
void CheckStackDepth();

}  // namespace activestore
