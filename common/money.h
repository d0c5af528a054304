// money (790): PostgreSQL's int64 amount in cents, shown for lc_monetary = C ('$1,000.00',
// '-$1.50'). cash_in's input forms ('$1,234.56', '(1)', '-$12', '1.005' rounded half up, at most
// the int64 range), the operators (money ± money, money * / int2/int4/int8/float8, int * money,
// float8 * money, money / money -> float8), the casts (numeric/int4/int8 -> money and money ->
// numeric, assignment casts in pg_cast), cashlarger/cashsmaller, cash_words, and the registry
// hooks. Stateless and thread-safe.
//
// Representation: ValueLayout::kInt64, the cents in Value::i (integer order is money's order).
//
// Errors (PostgreSQL's wording): 22P02 `invalid input syntax for type money: "x"`, 22003
// `value "x" is out of range for type money`, 22003 `money out of range`, 22012 `division by
// zero`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct FormatOptions;
struct TypeMethods;
struct Value;

int64_t ParseMoney(std::string_view text);
std::string FormatMoney(int64_t cents);
Value MoneyValue(int64_t cents);

// The operators with a money operand: money + money, money - money, money * x, x * money
// (x int2/int4/int8/float8), money / x, money / money. Sets *result and returns true if
// (op, a, b) is one of them.
bool MoneyArithmeticResultType(std::string_view op, TypeId a, TypeId b, TypeId* result);
// REQUIRES: MoneyArithmeticResultType(op, a.type.id, b.type.id) and neither is NULL.
Value MoneyArithmetic(std::string_view op, const Value& a, const Value& b);

// cash_words: "One hundred twenty three dollars and zero cents".
std::string CashWords(int64_t cents);

extern const TypeMethods kMoneyMethods;

}  // namespace activestore
