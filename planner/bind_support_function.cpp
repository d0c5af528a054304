// Calls of PostgreSQL's operator and cast implementation functions by name (int4pl(1, 2),
// date_pli(d, 3), texteq(a, b)): bound as the operator or cast they implement, found through
// the built-in catalog rows (common/builtin_catalog.h), so each behaves exactly as its
// operator (errors, NULLs: these functions are all strict, as the operators are).
//
// Also the other internal functions pg_proc lists whose meaning is plain SQL (PlainIndex):
// each type's input and output functions (int4in(cstring), textout(text), numeric_in(cstring,
// oid, int4)), the transition functions of max and min (int4larger, date_smaller, ...), and
// the casts' functions that take a typmod (bpchar(bpchar, int4, bool), numeric(numeric, int4),
// bit(int4, int4)), and the btree comparison functions that answer -1, 0 or 1 (btint4cmp,
// date_cmp, numeric_cmp, ...); they run as executor/builtin_support_functions.cpp's
// builtin_type_input, builtin_type_output, builtin_larger, builtin_smaller,
// builtin_typmod_cast and builtin_cmp.
#include <algorithm>
#include <unordered_map>

#include "common/builtin_catalog.h"
#include "common/cstring_type.h"
#include "common/pg_lsn.h"
#include "planner/bound_expr_util.h"
#include "planner/support_functions.h"

namespace activestore::planner {

namespace {

namespace bc = builtin_catalog;

// The placeholders of the operands being bound (innermost last).
thread_local std::vector<std::pair<const ast::Expr*, BoundExprPtr>> prebound;

// What a listed function implements: an operator (by its position in Listed().operators) or
// a cast (in Listed().casts).
struct Implements {
  const bc::Operator* op = nullptr;
  const bc::Cast* cast = nullptr;
};

// function oid -> the operator or cast it implements, when the function's signature is the
// operator's (left and right types, result) or the cast's (source -> target).
const std::unordered_map<bc::Oid, Implements>& SupportIndex() {
  static const std::unordered_map<bc::Oid, Implements> kIndex = [] {
    std::unordered_map<bc::Oid, Implements> index;
    const bc::Catalog& c = bc::Listed();
    for (const bc::Operator& o : c.operators) {
      const bc::Proc* p = bc::FindProc(o.code);
      if (p == nullptr || p->rettype != o.result || index.count(p->oid)) continue;
      const bool fits = o.kind == 'b' ? p->argtypes == std::vector<bc::Oid>{o.left, o.right}
                                      : p->argtypes == std::vector<bc::Oid>{o.right};
      if (fits) index[p->oid].op = &o;
    }
    for (const bc::Cast& k : c.casts) {
      const bc::Proc* p = bc::FindProc(k.func);
      if (p == nullptr || p->rettype != k.target || index.count(p->oid)) continue;
      if (p->argtypes == std::vector<bc::Oid>{k.source}) index[p->oid].cast = &k;
    }
    return index;
  }();
  return kIndex;
}

// A type ActiveStore has that is not a polymorphic or pseudo-type (anyelement, anyarray,
// record, ...), or cstring (the I/O functions' text).
std::optional<TypeId> ConcreteType(bc::Oid oid) {
  const TypeInfo* t = FindTypeByOid(oid);
  if (t == nullptr) return std::nullopt;
  if (t->category == TypeCategory::kPseudo && t->id != kCstringType) return std::nullopt;
  return t->id;
}

// An internal function whose meaning is plain SQL, and the executor function that runs it.
struct PlainFunction {
  const char* impl;  // executor/builtin_support_functions.cpp
};

constexpr bc::Oid kCstringOid = static_cast<bc::Oid>(kCstringType);
constexpr bc::Oid kOidOid = 26, kInt4Oid = 23, kBoolOid = 16, kUnknownOid = 705;

// function oid -> what it is, for the listed functions that are
//   - the input function of a listed type, `t_in(cstring)` or `t_in(cstring, oid, int4)`
//     (the text read by the type's input, with the typmod when given; the oid, PostgreSQL's
//     typioparam, is the type's own or its element's and changes nothing here), or its
//     output function `t_out(t) -> cstring` (int2vector's and oidvector's too); not
//     array_in/array_out, record's and the pseudo-types', whose results depend on their
//     arguments' values or have no SQL values, nor unknown's;
//   - the transition function of max or min whose state is its argument type
//     (`t_larger(t, t) -> t`, `t_smaller`);
//   - the function of a cast whose extra arguments are the typmod and whether the cast is
//     explicit (`bpchar(bpchar, int4, bool)`, `numeric(numeric, int4)`, `bit(int4, int4)`).
const std::unordered_map<bc::Oid, PlainFunction>& PlainIndex() {
  static const std::unordered_map<bc::Oid, PlainFunction> kIndex = [] {
    std::unordered_map<bc::Oid, PlainFunction> index;
    const bc::Catalog& c = bc::Listed();
    auto plain_type = [](bc::Oid oid) {
      const TypeInfo* t = FindTypeByOid(oid);
      return t != nullptr && oid != kUnknownOid &&
             (t->category != TypeCategory::kPseudo || t->id == kCstringType);
    };
    for (const bc::Type& t : c.types) {
      if (!plain_type(t.oid)) continue;
      if (const bc::Proc* in = bc::FindProc(t.input); in != nullptr && in->rettype == t.oid) {
        const std::vector<bc::Oid>& a = in->argtypes;
        if (a == std::vector<bc::Oid>{kCstringOid} ||
            a == std::vector<bc::Oid>{kCstringOid, kOidOid, kInt4Oid}) {
          index[in->oid] = {"builtin_type_input"};
        }
      }
      if (const bc::Proc* out = bc::FindProc(t.output);
          out != nullptr && out->rettype == kCstringOid &&
          out->argtypes == std::vector<bc::Oid>{t.oid}) {
        index[out->oid] = {"builtin_type_output"};
      }
    }
    for (const bc::Aggregate& a : c.aggregates) {
      const bc::Proc* agg = bc::FindProc(a.fnoid);
      const bc::Proc* fn = bc::FindProc(a.transfn);
      if (agg == nullptr || fn == nullptr || (agg->name != "max" && agg->name != "min")) continue;
      if (!plain_type(fn->rettype) || a.transtype != fn->rettype ||
          fn->argtypes != std::vector<bc::Oid>{fn->rettype, fn->rettype}) {
        continue;
      }
      index[fn->oid] = {agg->name == "max" ? "builtin_larger" : "builtin_smaller"};
    }
    // btree comparison functions (support function 1) of the types whose PostgreSQL function
    // answers -1, 0 or 1 (btint2cmp the difference): the integers, floats and numeric, and
    // the cross-type integer and float ones, oid, bool, money, the date/time types of one type,
    // pg_lsn. Not those of the string types, bytea, uuid, bit strings, "char", arrays, records
    // and jsonb, whose results are the byte difference or the collation's.
    auto sign_cmp_type = [](bc::Oid oid) {
      switch (static_cast<TypeId>(oid)) {
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64:
        case TypeId::kFloat32:
        case TypeId::kFloat64:
        case TypeId::kNumeric:
        case TypeId::kOid:
        case TypeId::kBool:
        case TypeId::kMoney:
        case TypeId::kDate:
        case TypeId::kTime:
        case TypeId::kTimeTz:
        case TypeId::kTimestamp:
        case TypeId::kTimestampTz:
        case TypeId::kInterval:
          return true;
        default:
          return static_cast<TypeId>(oid) == kPgLsnType;
      }
    };
    for (const bc::AmProc& a : c.amprocs) {
      const bc::Proc* p = bc::FindProc(a.proc);
      if (a.procnum != 1 || p == nullptr || p->rettype != kInt4Oid ||
          p->argtypes != std::vector<bc::Oid>{a.lefttype, a.righttype} ||
          !sign_cmp_type(a.lefttype) || !sign_cmp_type(a.righttype)) {
        continue;
      }
      const TypeId l = static_cast<TypeId>(a.lefttype), r = static_cast<TypeId>(a.righttype);
      const bool numbers = NumericRank(l) >= 0 && NumericRank(r) >= 0;
      if (l == r || numbers) index[p->oid] = {"builtin_cmp"};
    }
    for (const bc::Cast& k : c.casts) {
      const bc::Proc* p = bc::FindProc(k.func);
      if (p == nullptr || p->rettype != k.target || !plain_type(k.target) ||
          !plain_type(k.source)) {
        continue;
      }
      const std::vector<bc::Oid>& a = p->argtypes;
      if (a == std::vector<bc::Oid>{k.source, kInt4Oid} ||
          a == std::vector<bc::Oid>{k.source, kInt4Oid, kBoolOid}) {
        index[p->oid] = {"builtin_typmod_cast"};
      }
    }
    return index;
  }();
  return kIndex;
}

struct Candidate {
  const bc::Proc* proc;
  Implements what;
  std::vector<TypeId> params;
  const PlainFunction* plain = nullptr;
};

// PostgreSQL's func_select_candidate, reduced: the candidates with the most exact matches,
// then the most preferred types where the argument's type differs, then (unknown arguments)
// those wanting the string category, then those whose unknown arguments take the one type of
// the known ones.
std::vector<Candidate> SelectCandidates(std::vector<Candidate> cands,
                                        const std::vector<TypeId>& types) {
  auto keep_max = [&](auto score) {
    int best = -1;
    for (const Candidate& c : cands) best = std::max(best, score(c));
    std::vector<Candidate> out;
    for (Candidate& c : cands)
      if (score(c) == best) out.push_back(std::move(c));
    cands = std::move(out);
  };
  keep_max([&](const Candidate& c) {
    int n = 0;
    for (size_t i = 0; i < types.size(); ++i) n += types[i] == c.params[i];
    return n;
  });
  if (cands.size() > 1) {
    keep_max([&](const Candidate& c) {
      int n = 0;
      for (size_t i = 0; i < types.size(); ++i)
        n += types[i] != c.params[i] && IsPreferredType(c.params[i]);
      return n;
    });
  }
  if (cands.size() > 1) {
    keep_max([&](const Candidate& c) {
      int n = 0;
      for (size_t i = 0; i < types.size(); ++i) {
        n += types[i] == TypeId::kUnknown && CategoryOf(c.params[i]) == TypeCategory::kString;
      }
      return n;
    });
  }
  if (cands.size() > 1) {
    std::optional<TypeId> known;
    bool one = true;
    for (TypeId t : types) {
      if (t == TypeId::kUnknown) continue;
      if (known && *known != t) one = false;
      known = t;
    }
    if (known && one) {
      keep_max([&](const Candidate& c) {
        for (size_t i = 0; i < types.size(); ++i)
          if (types[i] == TypeId::kUnknown && c.params[i] != *known) return 0;
        return 1;
      });
    }
  }
  return cands;
}

}  // namespace

PreboundScope::PreboundScope() : size_(prebound.size()) {}
PreboundScope::~PreboundScope() { prebound.resize(size_); }
ast::ExprPtr PreboundScope::Add(BoundExprPtr e, int location) {
  auto node = std::make_unique<ast::Expr>(ast::ExprKind::kColumnRef, location);
  prebound.emplace_back(node.get(), std::move(e));
  return node;
}

BoundExprPtr PreboundExpr(const ast::Expr& e) {
  for (auto it = prebound.rbegin(); it != prebound.rend(); ++it)
    if (it->first == &e) return it->second;
  return nullptr;
}

std::optional<BoundExprPtr> BindSupportFunctionCall(Binder* binder, const ast::Expr& call,
                                                    const std::string& name,
                                                    const std::vector<BoundExprPtr>& args,
                                                    const std::vector<int>& locations) {
  std::vector<TypeId> types;
  for (const auto& a : args) types.push_back(a->type.id);
  std::vector<Candidate> cands;
  for (bc::Oid oid : bc::ProcOidsNamed(name)) {
    const bc::Proc* p = bc::FindProc(oid);
    auto it = SupportIndex().find(oid);
    auto plain = PlainIndex().find(oid);
    if (p == nullptr || (it == SupportIndex().end() && plain == PlainIndex().end()) ||
        p->argtypes.size() != args.size() || p->kind != 'f' || p->retset || p->variadic != 0) {
      continue;
    }
    Candidate c{p,
                it != SupportIndex().end() ? it->second : Implements{},
                {},
                plain != PlainIndex().end() ? &plain->second : nullptr};
    bool ok = ConcreteType(p->rettype).has_value();
    for (size_t i = 0; ok && i < args.size(); ++i) {
      std::optional<TypeId> t = ConcreteType(p->argtypes[i]);
      ok = t && (types[i] == *t || types[i] == TypeId::kUnknown ||
                 CanCoerce(types[i], *t, CoercionContext::kImplicit));
      if (ok) c.params.push_back(*t);
    }
    if (ok) cands.push_back(std::move(c));
  }
  if (cands.empty()) return std::nullopt;
  cands = SelectCandidates(std::move(cands), types);
  if (cands.size() > 1) {
    std::vector<std::string> shown;
    for (const auto& a : args) shown.push_back(TypeDisplayName(a->type));
    Error err(SqlState::kAmbiguousFunction,
              fmt::format("function {}({}) is not unique", name, fmt::join(shown, ", ")));
    err.Hint(
        "Could not choose a best candidate function. You might need to add explicit type "
        "casts.");
    if (call.location >= 0) err.Position(call.location + 1);
    throw err;
  }
  const Candidate& c = cands.front();
  auto loc = [&](size_t i) { return i < locations.size() ? locations[i] : call.location; };
  std::vector<BoundExprPtr> coerced;
  for (size_t i = 0; i < args.size(); ++i) {
    coerced.push_back(
        binder->Coerce(args[i], Type::Of(c.params[i]), CoercionContext::kImplicit, loc(i)));
  }
  const TypeId result = *ConcreteType(c.proc->rettype);
  if (c.plain != nullptr) {
    return MakeExpr(BoundExprKind::kFunction, Type::Of(result), std::move(coerced), c.plain->impl);
  }
  BoundExprPtr bound;
  if (c.what.cast != nullptr) {
    bound = binder->Cast(coerced[0], Type::Of(result), loc(0));
  } else {
    // The operator as `a OPERATOR(pg_catalog.op) b` binds it, over the coerced operands.
    PreboundScope scope;
    ast::Expr op(c.what.op->kind == 'b' ? ast::ExprKind::kBinaryOp : ast::ExprKind::kUnaryOp,
                 call.location);
    op.op = c.what.op->name;
    for (size_t i = 0; i < coerced.size(); ++i) op.args.push_back(scope.Add(coerced[i], loc(i)));
    try {
      bound = binder->BindExpr(op);
    } catch (const Error& err) {
      // The operator is one ActiveStore lacks for these types: the function does not exist.
      if (err.state() == SqlState::kUndefinedFunction ||
          err.state() == SqlState::kFeatureNotSupported) {
        return std::nullopt;
      }
      throw;
    }
  }
  if (bound->type.id != result) return std::nullopt;
  return bound;
}

}  // namespace activestore::planner
