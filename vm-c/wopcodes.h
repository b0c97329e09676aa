/* The Whispem instruction set (bytecode format 4): one table, one line per opcode.
 * Operand layouts: NONE, CONST (u8 constant), NAME (u8 string constant), BYTE (u8 number),
 * JUMP (u16 absolute target), CALL (u8 name, u8 argc), CLOSURE (u8 name, u8 n, n descriptors). */
#ifndef WOPCODES_H
#define WOPCODES_H

#include <stdint.h>

/*        name                byte  operands  meaning */
#define W_OPCODES(X) \
  X(PUSH_CONST,         0x00, CONST,   "push constant") \
  X(PUSH_TRUE,          0x01, NONE,    "push true") \
  X(PUSH_FALSE,         0x02, NONE,    "push false") \
  X(PUSH_NONE,          0x03, NONE,    "push none") \
  X(LOAD,               0x10, NAME,    "push the frame's local, else the global, else error") \
  X(STORE,              0x11, NAME,    "pop into the open cell (if any), then the local (function) or global (main)") \
  X(LOAD_GLOBAL,        0x12, NAME,    "push the global, else error") \
  X(LOAD_UPVALUE,       0x13, BYTE,    "push the closure's captured cell") \
  X(STORE_UPVALUE,      0x14, BYTE,    "pop into the closure's captured cell") \
  X(CLOSE_UPVALUE,      0x15, BYTE,    "no effect") \
  X(ADD,                0x20, NONE,    "a b -> a+b: numbers, or string concatenation") \
  X(SUB,                0x21, NONE,    "a b -> a-b") \
  X(MUL,                0x22, NONE,    "a b -> a*b") \
  X(DIV,                0x23, NONE,    "a b -> a/b, error on zero divisor") \
  X(MOD,                0x24, NONE,    "a b -> fmod(a, b), error on zero divisor") \
  X(NEG,                0x25, NONE,    "a -> -a") \
  X(EQ,                 0x30, NONE,    "a b -> a == b") \
  X(NEQ,                0x31, NONE,    "a b -> a != b") \
  X(LT,                 0x32, NONE,    "a b -> a < b (numbers or strings)") \
  X(LTE,                0x33, NONE,    "a b -> a <= b") \
  X(GT,                 0x34, NONE,    "a b -> a > b") \
  X(GTE,                0x35, NONE,    "a b -> a >= b") \
  X(NOT,                0x36, NONE,    "a -> not truthy(a)") \
  X(JUMP,               0x40, JUMP,    "ip = target") \
  X(JUMP_IF_FALSE,      0x41, JUMP,    "pop; jump if falsy") \
  X(JUMP_IF_TRUE,       0x42, JUMP,    "pop; jump if truthy") \
  X(PEEK_JUMP_IF_FALSE, 0x43, JUMP,    "jump if the top is falsy, keep it") \
  X(PEEK_JUMP_IF_TRUE,  0x44, JUMP,    "jump if the top is truthy, keep it") \
  X(CALL,               0x50, CALL,    "[callee] args -> result: callee, builtin, variable, named chunk") \
  X(RETURN,             0x51, NONE,    "pop v; drop the frame; push v") \
  X(RETURN_NONE,        0x52, NONE,    "drop the frame; push none") \
  X(MAKE_CLOSURE,       0x53, CLOSURE, "push a function value over the named chunk and its cells") \
  X(MAKE_ARRAY,         0x60, BYTE,    "v1..vn -> array") \
  X(MAKE_DICT,          0x61, BYTE,    "k1 v1 .. kn vn -> dict") \
  X(GET_INDEX,          0x62, NONE,    "obj idx -> obj[idx]") \
  X(SET_INDEX,          0x63, NONE,    "obj idx v -> the updated collection") \
  X(PRINT,              0x70, NONE,    "pop; write format(v) and a newline") \
  X(POP,                0x71, NONE,    "discard the top") \
  X(HALT,               0xFF, NONE,    "end of program")

/* Internal superinstructions: never in a file (the verifier refuses these bytes), written by
 * wlink over the first byte of `LOAD k; PUSH_CONST c; OP` when c is a number. The bytes after
 * stay as they were, so a jump into the sequence still finds the original instructions, and a
 * value that is not a number simply runs the plain LOAD. */
#define W_SUPERINSTRUCTIONS(X) \
  X(LOADK_ADD, 0x80, ADD,  "LOAD k; PUSH_CONST c; ADD") \
  X(LOADK_SUB, 0x81, SUB,  "LOAD k; PUSH_CONST c; SUB") \
  X(LOADK_MUL, 0x82, MUL,  "LOAD k; PUSH_CONST c; MUL") \
  X(LOADK_LT,  0x83, LT,   "LOAD k; PUSH_CONST c; LT") \
  X(LOADK_LTE, 0x84, LTE,  "LOAD k; PUSH_CONST c; LTE") \
  X(LOADK_GT,  0x85, GT,   "LOAD k; PUSH_CONST c; GT") \
  X(LOADK_GTE, 0x86, GTE,  "LOAD k; PUSH_CONST c; GTE") \
  X(LOADK_EQ,  0x87, EQ,   "LOAD k; PUSH_CONST c; EQ") \
  X(LOADK_NEQ, 0x88, NEQ,  "LOAD k; PUSH_CONST c; NEQ")

/* Internal call opcodes, written by wlink over a CALL's first byte (operands unchanged), also
 * never in a file. CALL_FN: a call of a name that no STORE anywhere in the program writes (so
 * no variable can hold a function of that name), that is no builtin, whose chunk exists and
 * takes exactly argc parameters — the target, found at link time, is entered directly. */
#define W_LINKED_CALLS(X) \
  X(CALL_FN, 0x90, CALL, "CALL of a name resolved at link time to its chunk, arity checked")

/* Internal update opcodes: the ownership contract between the compiler's code and the VM, also
 * never in a file. An update (a string ADD, SET_INDEX, a CALL of push or reverse) changes its
 * first operand in place when nothing else holds it (reference count 1), whatever its opcode. At
 * a count of 2 it still may when the one other holder is about to let go of the value — known
 * from the code after the update, so wlink decides it once, after verification, in chunks whose
 * stack use is proven, and writes one of these over the update's first byte (operands unchanged):
 *   _STORE   the code after the update reaches `STORE k` in a straight line: every instruction
 *            between is a push (PUSH_*, LOAD, LOAD_GLOBAL, LOAD_UPVALUE, MAKE_ARRAY, MAKE_DICT),
 *            an operator (ADD .. NOT) or GET_INDEX, and none LOADs k: nothing reads k, calls or
 *            jumps before the STORE. k is noted in the chunk's update_store[offset]. The other
 *            holder may be k's slot (the frame's local; in the first frame, <main>'s, the global):
 *            the STORE overwrites it with the result, as `let a = push(a, x)`, `a[i] = v` and
 *            `let s = s + x + y` do. The compiler's `let` and index assignment are these shapes.
 *   _RETURN  the next instruction is RETURN. The other holder may be a local or an operand below
 *            of the returning frame, which RETURN drops (`return push(acc, x)` in a reduce
 *            callback) — never in the first frame, whose RETURN ends the program.
 * In debug mode no debugger line step may begin after the update up to and including its STORE
 * or RETURN (a stop there could show the variable already changed). An instruction between may
 * still fail (`let s = s + "x" + undefined_name`): that relies on a runtime error ending the
 * program, so nothing sees the variable changed early; a session that runs on after an error
 * must keep such stretches plain. Whatever else can see the
 * value (another variable, an array, a cell, a running map) holds a reference of its own, so the
 * count is above 2 and the update works on a copy. */
#define W_UPDATES(X) \
  X(ADD_STORE,        0xA0, ADD,       "ADD; then STORE k: a string whose other holder is k grows in place") \
  X(SET_INDEX_STORE,  0xA1, SET_INDEX, "SET_INDEX; then STORE k: a collection whose other holder is k changes in place") \
  X(CALL_STORE,       0xA2, CALL,      "CALL push/reverse; then STORE k: an array whose other holder is k changes in place") \
  X(ADD_RETURN,       0xA3, ADD,       "ADD; then RETURN: a string whose other holder is the frame's grows in place") \
  X(SET_INDEX_RETURN, 0xA4, SET_INDEX, "SET_INDEX; then RETURN: a collection whose other holder is the frame's changes in place") \
  X(CALL_RETURN,      0xA5, CALL,      "CALL push/reverse; then RETURN: an array whose other holder is the frame's changes in place")

typedef enum {
#define W_OP_ENUM(name, byte, layout, meaning) OP_##name = byte,
  W_OPCODES(W_OP_ENUM)
#undef W_OP_ENUM
#define W_SUPER_ENUM(name, byte, op, meaning) OP_##name = byte,
  W_SUPERINSTRUCTIONS(W_SUPER_ENUM)
#undef W_SUPER_ENUM
#define W_LINKED_ENUM(name, byte, op, meaning) OP_##name = byte,
  W_LINKED_CALLS(W_LINKED_ENUM)
  W_UPDATES(W_LINKED_ENUM)
#undef W_LINKED_ENUM
} WOpcode;

typedef enum { LAYOUT_NONE, LAYOUT_CONST, LAYOUT_NAME, LAYOUT_BYTE, LAYOUT_JUMP, LAYOUT_CALL, LAYOUT_CLOSURE } WLayout;

typedef struct {
  const char *name; /* NULL for bytes that are not opcodes */
  WLayout layout;
  const char *meaning;
} WOpInfo;

/* Indexed by opcode byte; wop_info[b].name is NULL for unknown bytes (the internal ones included). */
extern const WOpInfo wop_info[256];

/* Linked code back to the file's opcodes: for an internal byte, the opcode it was written over
 * (LOAD for a superinstruction, CALL for CALL_FN, the update's own for an update); any other byte
 * is itself. wop_linked[b] holds that opcode | 0x100, or 0 when b is no internal opcode. */
extern const uint16_t wop_linked[256];
static inline uint8_t wop_file_opcode(uint8_t b) { return wop_linked[b] ? (uint8_t)wop_linked[b] : b; }

#endif
