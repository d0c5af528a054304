// Shell and base types, LANGUAGE internal functions and user casts
// (docs/design/2026-12-07-base-types-casts.md): CREATE TYPE name, CREATE TYPE name (INPUT = f,
// OUTPUT = g, LIKE = t, ...), CREATE FUNCTION ... LANGUAGE internal AS 'int4in', CREATE CAST and
// DROP CAST, with PostgreSQL 15's checks and messages (typecmds.c DefineType, functioncmds.c
// CreateCast / interpret_function_parameter_list, compute_return_type). A base type's values are
// the datums of the built-in type whose I/O functions its I/O functions are
// (common/user_types.h); a cast is a row of the TypeDefInfo it converts from or to.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/builtin_catalog.h"
#include "common/cstring_type.h"
#include "common/user_types.h"
#include "common/value_ops.h"
#include "executor/session.h"
#include "executor/user_functions.h"
#include "parser/ast_function.h"
#include "planner/planner.h"

namespace activestore::executor {
namespace {

// The built-in type whose input (or output) function has this prosrc; 0 if none.
uint32_t TypeOfIoFunction(const std::string& src, bool input) {
  for (const builtin_catalog::Type& t : builtin_catalog::Listed().types) {
    const builtin_catalog::Proc* p = builtin_catalog::FindProc(input ? t.input : t.output);
    if (p != nullptr && p->src == src && FindTypeByOid(t.oid) != nullptr) return t.oid;
  }
  return 0;
}

// pg_type's typlen, typbyval, typalign and typstorage of a type.
struct Physical {
  int16_t len = -1;
  bool byval = false;
  char align = 'i';
  char storage = 'p';
};

Physical PhysicalOf(const storage::CatalogSnapshot& snap, uint32_t oid) {
  if (auto def = snap.FindTypeByOid(oid); def != nullptr && def->is_base()) {
    return {def->typlen, def->byval, def->align, def->storage};
  }
  Physical p;
  if (const builtin_catalog::Type* t = builtin_catalog::FindType(oid)) {
    return {t->len, t->byval, t->align, t->storage};
  }
  if (const TypeInfo* info = FindTypeByOid(oid)) {
    p.len = info->typlen;
    p.align = info->typalign;
    p.byval = info->typlen > 0 && info->typlen <= 8 && info->layout != ValueLayout::kString;
    p.storage = info->typlen == -1 ? 'x' : 'p';
  }
  return p;
}

std::string TypeNameOf(const storage::CatalogSnapshot& snap, uint32_t oid) {
  if (auto def = snap.FindTypeByOid(oid)) return def->name;
  if (FindTypeByOid(oid) != nullptr) return TypeName(Type::Of(static_cast<TypeId>(oid)));
  return std::to_string(oid);
}

}  // namespace

void SessionImpl::CheckInternalFunction(const storage::FunctionInfo& info) {
  if (!builtin_catalog::IsInternalFunctionSource(info.body)) {
    Throw(SqlState::kUndefinedFunction, "there is no built-in function named \"{}\"", info.body);
  }
}

void SessionImpl::ShellTypeChecks(const storage::FunctionInfo& info, bool sql) {
  auto snap = CatalogView();
  auto shell = [&](const Type& t) -> std::shared_ptr<const storage::TypeDefInfo> {
    auto def = snap->FindTypeByOid(static_cast<uint32_t>(t.id));
    return def != nullptr && def->is_shell() ? def : nullptr;
  };
  for (const storage::FunctionParam& p : info.params) {
    if (!p.is_input()) continue;
    if (auto def = shell(p.type)) {
      if (sql) {
        Throw(SqlState::kInvalidFunctionDefinition, "SQL function cannot accept shell type {}",
              def->name);
      }
      pending_notices_.push_back(
          Notice{"NOTICE", "42809", fmt::format("argument type {} is only a shell", def->name)});
    }
  }
  if (auto def = shell(info.return_type)) {
    if (sql) {
      Throw(SqlState::kInvalidFunctionDefinition, "SQL function cannot return shell type {}",
            def->name);
    }
    pending_notices_.push_back(
        Notice{"NOTICE", "42809", fmt::format("return type {} is only a shell", def->name)});
  }
}

QueryResult SessionImpl::CreateShellOrBaseType(const ast::CreateTypeStatement& s) {
  if (s.shell) {
    storage::TypeDefInfo info = NewTypeDef(s.name, 'p');
    engine_->catalog()->CreateType(CatalogStatementTxn(), std::move(info));
    return Tagged("CREATE TYPE");
  }
  // The parameters (DefineType), each at most once.
  std::map<std::string, std::string> params;
  for (const auto& [name, value] : s.params) {
    static const std::set<std::string> kKnown = {
        "like",          "internallength", "input",      "output",    "receive",
        "send",          "typmod_in",      "typmod_out", "analyze",   "subscript",
        "category",      "preferred",      "delimiter",  "element",   "default",
        "passedbyvalue", "alignment",      "storage",    "collatable"};
    if (kKnown.count(name) == 0) {
      pending_notices_.push_back(
          Notice{"WARNING", "42601", fmt::format("type attribute \"{}\" not recognized", name)});
      continue;
    }
    if (!params.emplace(name, value).second) {
      Throw(SqlState::kSyntaxError, "conflicting or redundant options");
    }
  }
  auto param = [&](const char* name) -> const std::string* {
    auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
  };
  auto boolean = [&](const char* name) {
    const std::string* v = param(name);
    if (v == nullptr) return false;
    std::string l = *v;
    std::transform(l.begin(), l.end(), l.begin(), ::tolower);
    if (l.empty() || l == "true" || l == "on" || l == "1") return true;
    if (l == "false" || l == "off" || l == "0") return false;
    Throw(SqlState::kSyntaxError, "{} requires a Boolean value", name);
  };
  for (const char* unsupported :
       {"receive", "send", "typmod_in", "typmod_out", "analyze", "subscript", "collatable"}) {
    if (param(unsupported) != nullptr) {
      Throw(SqlState::kFeatureNotSupported,
            "the {} parameter of CREATE TYPE is not supported (base types take INPUT, OUTPUT, "
            "LIKE, INTERNALLENGTH, PASSEDBYVALUE, ALIGNMENT, STORAGE, CATEGORY, PREFERRED, "
            "DEFAULT, ELEMENT and DELIMITER)",
            unsupported);
    }
  }
  // The shell this fills, or a new one (PostgreSQL makes the shell itself).
  auto existing = FindTypeDef(s.name);
  if (existing != nullptr && existing->schema != CreationSchema(s.name)) existing = nullptr;
  if (existing != nullptr && !existing->is_shell()) {
    Throw(SqlState::kDuplicateObject, "type \"{}\" already exists", s.name.name());
  }
  if (existing == nullptr) {
    existing = engine_->catalog()->CreateType(CatalogStatementTxn(), NewTypeDef(s.name, 'p'));
  }
  storage::TypeDefInfo next = *existing;
  next.kind = 'b';
  planner::PlannerContext pctx = MakePlannerContext();
  pctx.catalog = CatalogView();
  auto snap = pctx.catalog;
  auto resolve_type = [&](const std::string& text) {
    ast::TypeName tn;
    tn.name = text;
    while (tn.name.size() > 2 && tn.name.compare(tn.name.size() - 2, 2, "[]") == 0) {
      tn.name.resize(tn.name.size() - 2);
      while (!tn.name.empty() && tn.name.back() == ' ') tn.name.pop_back();
      ++tn.array_bounds;
    }
    uint32_t domain = 0;
    Type t = planner::ResolveTypeName(tn, &pctx, &domain);
    return domain != 0 ? domain : static_cast<uint32_t>(t.id);
  };
  // LIKE, then the explicit storage parameters over it.
  if (const std::string* like = param("like")) {
    Physical p = PhysicalOf(*snap, resolve_type(*like));
    next.typlen = p.len;
    next.byval = p.byval;
    next.align = p.align;
    next.storage = p.storage;
  } else {
    next.typlen = -1;
    next.byval = false;
    next.align = 'i';
    next.storage = 'p';
  }
  if (const std::string* len = param("internallength")) {
    std::string l = *len;
    std::transform(l.begin(), l.end(), l.begin(), ::tolower);
    if (l == "variable") {
      next.typlen = -1;
    } else {
      try {
        next.typlen = static_cast<int16_t>(std::stoi(l));
      } catch (const std::exception&) {
        Throw(SqlState::kSyntaxError, "internallength requires an integer value");
      }
    }
  }
  if (param("passedbyvalue") != nullptr) next.byval = boolean("passedbyvalue");
  if (const std::string* a = param("alignment")) {
    std::string l = *a;
    std::transform(l.begin(), l.end(), l.begin(), ::tolower);
    if (l == "double" || l == "float8" || l == "pg_catalog.float8") {
      next.align = 'd';
    } else if (l == "int4" || l == "pg_catalog.int4") {
      next.align = 'i';
    } else if (l == "int2" || l == "pg_catalog.int2") {
      next.align = 's';
    } else if (l == "char" || l == "pg_catalog.bpchar") {
      next.align = 'c';
    } else {
      Throw(SqlState::kInvalidParameterValue, "alignment \"{}\" not recognized", *a);
    }
  }
  if (const std::string* st = param("storage")) {
    std::string l = *st;
    std::transform(l.begin(), l.end(), l.begin(), ::tolower);
    if (l == "plain") {
      next.storage = 'p';
    } else if (l == "external") {
      next.storage = 'e';
    } else if (l == "extended") {
      next.storage = 'x';
    } else if (l == "main") {
      next.storage = 'm';
    } else {
      Throw(SqlState::kInvalidParameterValue, "storage \"{}\" not recognized", *st);
    }
  }
  if (const std::string* c = param("category")) {
    if (c->empty() || static_cast<unsigned char>((*c)[0]) < 32 ||
        static_cast<unsigned char>((*c)[0]) > 126) {
      Throw(SqlState::kInvalidParameterValue, "invalid type category \"{}\": must be simple ASCII",
            *c);
    }
    next.category = (*c)[0];
  } else {
    next.category = 'U';
  }
  next.preferred = boolean("preferred");
  next.delimiter = ',';
  if (const std::string* d = param("delimiter")) {
    if (!d->empty()) next.delimiter = (*d)[0];
  }
  next.element = 0;
  if (const std::string* e = param("element")) next.element = resolve_type(*e);
  next.default_value.reset();
  if (const std::string* d = param("default")) next.default_value = *d;
  // The I/O functions (findTypeInputFunction, findTypeOutputFunction).
  const std::string* input = param("input");
  const std::string* output = param("output");
  if (input == nullptr)
    Throw(SqlState::kInvalidObjectDefinition, "type input function must be specified");
  if (output == nullptr) {
    Throw(SqlState::kInvalidObjectDefinition, "type output function must be specified");
  }
  auto find_function =
      [&](const std::string& name,
          const std::vector<Type>& args) -> std::shared_ptr<const storage::FunctionInfo> {
    std::vector<std::shared_ptr<const storage::FunctionInfo>> found;
    size_t dot = name.rfind('.');
    if (dot != std::string::npos) {
      found = snap->FindFunctions(db_.oid, name.substr(0, dot), name.substr(dot + 1));
    } else {
      for (const std::string& sc : LookupPath(*snap)) {
        for (auto& f : snap->FindFunctions(db_.oid, sc, name)) found.push_back(std::move(f));
      }
    }
    for (const auto& f : found) {
      if (f->InputTypes() == args) return f;
    }
    std::string list;
    for (const Type& t : args) {
      list += (list.empty() ? "" : ", ") + TypeNameOf(*snap, static_cast<uint32_t>(t.id));
    }
    Throw(SqlState::kUndefinedFunction, "function {}({}) does not exist", name, list);
  };
  const Type self = Type::Of(static_cast<TypeId>(next.oid));
  auto in_fn = find_function(*input, {Type::Of(kCstringType)});
  if (in_fn->return_type.id != self.id) {
    Throw(SqlState::kInvalidObjectDefinition, "type input function {} must return type {}", *input,
          next.name);
  }
  auto out_fn = find_function(*output, {self});
  if (out_fn->return_type.id != kCstringType) {
    Throw(SqlState::kInvalidObjectDefinition, "type output function {} must return type cstring",
          *output);
  }
  if (in_fn->volatility == 'v') {
    pending_notices_.push_back(Notice{
        "WARNING", "42P17", fmt::format("type input function {} should not be volatile", *input)});
  }
  if (out_fn->volatility == 'v') {
    pending_notices_.push_back(
        Notice{"WARNING", "42P17",
               fmt::format("type output function {} should not be volatile", *output)});
  }
  // What the values are: the datums of the built-in type whose I/O functions these are.
  const uint32_t physical = in_fn->language == "internal" ? TypeOfIoFunction(in_fn->body, true) : 0;
  if (physical == 0 || out_fn->language != "internal" ||
      TypeOfIoFunction(out_fn->body, false) != physical) {
    Throw(SqlState::kFeatureNotSupported,
          "base types are supported only with LANGUAGE internal input and output functions of one "
          "built-in type (such as int4in and int4out)");
  }
  if (!BaseTypePhysicalSupported(static_cast<TypeId>(physical))) {
    Throw(SqlState::kFeatureNotSupported, "base types over the values of type {} are not supported",
          TypeName(Type::Of(static_cast<TypeId>(physical))));
  }
  Physical held = PhysicalOf(*snap, physical);
  if (held.len != next.typlen) {
    Throw(SqlState::kFeatureNotSupported,
          "internal length {} of type {} differs from the length of its input function's type {} "
          "({}), which is not supported",
          next.typlen, next.name, TypeName(Type::Of(static_cast<TypeId>(physical))), held.len);
  }
  next.physical = physical;
  next.input_fn = in_fn->oid;
  next.output_fn = out_fn->oid;
  engine_->catalog()->UpdateType(CatalogStatementTxn(), std::move(next));
  return Tagged("CREATE TYPE");
}

QueryResult SessionImpl::CreateCast(const ast::CreateCastStatement& s) {
  planner::PlannerContext pctx = MakePlannerContext();
  auto snap = CatalogView();
  pctx.catalog = snap;
  uint32_t sdomain = 0, tdomain = 0;
  const uint32_t source =
      static_cast<uint32_t>(planner::ResolveTypeName(s.source, &pctx, &sdomain).id);
  const uint32_t target =
      static_cast<uint32_t>(planner::ResolveTypeName(s.target, &pctx, &tdomain).id);
  const uint32_t src = sdomain != 0 ? sdomain : source;
  const uint32_t dst = tdomain != 0 ? tdomain : target;
  auto pseudo = [](uint32_t oid) {
    const TypeInfo* t = FindTypeByOid(oid);
    return t != nullptr && t->category == TypeCategory::kPseudo;
  };
  if (pseudo(src)) {
    Throw(SqlState::kWrongObjectType, "source data type {} is a pseudo-type",
          TypeNameOf(*snap, src));
  }
  if (pseudo(dst)) {
    Throw(SqlState::kWrongObjectType, "target data type {} is a pseudo-type",
          TypeNameOf(*snap, dst));
  }
  auto src_def = snap->FindTypeByOid(src);
  auto dst_def = snap->FindTypeByOid(dst);
  if (sdomain != 0 || tdomain != 0) {
    Throw(SqlState::kFeatureNotSupported, "casts from or to domains are not supported");
  }
  // Which type keeps the cast: the user type it converts from, else the one it converts to.
  auto owner = src_def != nullptr ? src_def : dst_def;
  if (owner == nullptr) {
    Throw(SqlState::kFeatureNotSupported,
          "CREATE CAST between two built-in types is not supported");
  }
  if (!CurrentIsSuperuser() && (src_def == nullptr || src_def->owner != user_oid_) &&
      (dst_def == nullptr || dst_def->owner != user_oid_)) {
    Throw(SqlState::kInsufficientPrivilege, "must be owner of type {} or type {}",
          TypeNameOf(*snap, src), TypeNameOf(*snap, dst));
  }
  storage::UserCastInfo cast;
  cast.source = src;
  cast.target = dst;
  cast.method = s.method;
  cast.context = s.context;
  if (s.method == 'f') {
    auto fn = FindRoutine(s.function, false, false);
    const std::vector<Type> in = fn->InputTypes();
    if (in.empty() || in.size() > 3) {
      Throw(SqlState::kInvalidObjectDefinition, "cast function must take one to three arguments");
    }
    if (static_cast<uint32_t>(in[0].id) != src) {
      Throw(SqlState::kInvalidObjectDefinition,
            "argument of cast function must match or be binary-coercible from source data type");
    }
    if (in.size() > 1 && in[1].id != TypeId::kInt32) {
      Throw(SqlState::kInvalidObjectDefinition,
            "second argument of cast function must be type integer");
    }
    if (in.size() > 2 && in[2].id != TypeId::kBool) {
      Throw(SqlState::kInvalidObjectDefinition,
            "third argument of cast function must be type boolean");
    }
    if (static_cast<uint32_t>(fn->return_type.id) != dst) {
      Throw(SqlState::kInvalidObjectDefinition,
            "return data type of cast function must match or be binary-coercible to target data "
            "type");
    }
    if (fn->kind != 'f') {
      Throw(SqlState::kInvalidObjectDefinition, "cast function must be a normal function");
    }
    if (fn->returns_set) {
      Throw(SqlState::kInvalidObjectDefinition, "cast function must not return a set");
    }
    if (in.size() > 1) {
      Throw(SqlState::kFeatureNotSupported,
            "cast functions with more than one argument are not supported");
    }
    cast.function = fn->oid;
  } else if (s.method == 'b') {
    if (src_def != nullptr && src_def->is_shell()) {
      Throw(SqlState::kUndefinedObject, "type \"{}\" is only a shell", src_def->name);
    }
    Physical a = PhysicalOf(*snap, src), b = PhysicalOf(*snap, dst);
    if (a.len != b.len || a.byval != b.byval || a.align != b.align) {
      Throw(SqlState::kInvalidObjectDefinition,
            "source and target data types are not physically compatible");
    }
    auto kind_of = [&](uint32_t oid) {
      auto def = snap->FindTypeByOid(oid);
      return def != nullptr ? def->kind : 'b';
    };
    if (kind_of(src) == 'c' || kind_of(dst) == 'c') {
      Throw(SqlState::kInvalidObjectDefinition, "composite data types are not binary-compatible");
    }
    if (kind_of(src) == 'e' || kind_of(dst) == 'e') {
      Throw(SqlState::kInvalidObjectDefinition, "enum data types are not binary-compatible");
    }
    auto is_array = [&](uint32_t oid) {
      const TypeInfo* t = FindTypeByOid(oid);
      return t != nullptr && t->category == TypeCategory::kArray;
    };
    if (is_array(src) || is_array(dst)) {
      Throw(SqlState::kInvalidObjectDefinition, "array data types are not binary-compatible");
    }
    // What the executor can reinterpret: datums of the by-value types, or bytes of the string
    // layout.
    Value probe_src = Value::Null(Type::Of(static_cast<TypeId>(src)));
    probe_src.is_null = false;
    uint64_t bits = 0;
    Value out;
    const TypeInfo* si = FindTypeByOid(src);
    const TypeInfo* ti = FindTypeByOid(dst);
    const bool by_value = si != nullptr && ti != nullptr && DatumBitsOf(probe_src, &bits) &&
                          ValueFromDatumBits(0, Type::Of(static_cast<TypeId>(dst)), &out);
    const bool bytes =
        si != nullptr && ti != nullptr && si->layout == ValueLayout::kString &&
        ti->layout == ValueLayout::kString &&
        (IsUserBaseType(static_cast<TypeId>(src)) || IsUserBaseType(static_cast<TypeId>(dst)));
    if (!by_value && !bytes) {
      Throw(SqlState::kFeatureNotSupported,
            "binary coercion between types {} and {} is not supported", TypeNameOf(*snap, src),
            TypeNameOf(*snap, dst));
    }
  }
  if (src == dst) {
    Throw(SqlState::kInvalidObjectDefinition, "source data type and target data type are the same");
  }
  if (planner::FindUserCast(*snap, src, dst) != nullptr) {
    Throw(SqlState::kDuplicateObject, "cast from type {} to type {} already exists",
          TypeNameOf(*snap, src), TypeNameOf(*snap, dst));
  }
  storage::TypeDefInfo next = *owner;
  next.casts.push_back(cast);
  engine_->catalog()->UpdateType(CatalogStatementTxn(), std::move(next));
  return Tagged("CREATE CAST");
}

QueryResult SessionImpl::DropCast(const ast::DropCastStatement& s) {
  planner::PlannerContext pctx = MakePlannerContext();
  auto snap = CatalogView();
  pctx.catalog = snap;
  uint32_t sdomain = 0, tdomain = 0;
  std::string source_name = s.source.name, target_name = s.target.name;
  uint32_t src = 0, dst = 0;
  try {
    Type a = planner::ResolveTypeName(s.source, &pctx, &sdomain);
    source_name = TypeNameOf(*snap, src = sdomain != 0 ? sdomain : static_cast<uint32_t>(a.id));
    Type b = planner::ResolveTypeName(s.target, &pctx, &tdomain);
    target_name = TypeNameOf(*snap, dst = tdomain != 0 ? tdomain : static_cast<uint32_t>(b.id));
  } catch (const Error& e) {
    if (!s.if_exists || e.state() != SqlState::kUndefinedObject) throw;
    pending_notices_.push_back(Notice{
        "NOTICE", "00000",
        fmt::format("type \"{}\" does not exist, skipping", src == 0 ? source_name : target_name)});
    return Tagged("DROP CAST");
  }
  const storage::UserCastInfo* cast = planner::FindUserCast(*snap, src, dst);
  if (cast == nullptr) {
    if (s.if_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "00000",
                 fmt::format("cast from type {} to type {} does not exist, skipping", source_name,
                             target_name)});
      return Tagged("DROP CAST");
    }
    Throw(SqlState::kUndefinedObject, "cast from type {} to type {} does not exist", source_name,
          target_name);
  }
  DropObjects({{DependencyObject::kCast, cast->oid, 0}}, s.cascade);
  return Tagged("DROP CAST");
}

void SessionImpl::DropUserCast(storage::Oid cast_oid) {
  auto snap = CatalogView();
  for (const auto& [key, t] : snap->types) {
    if (std::get<0>(key) != db_.oid) continue;
    for (const storage::UserCastInfo& c : t->casts) {
      if (c.oid != cast_oid) continue;
      storage::TypeDefInfo next = *t;
      std::erase_if(next.casts, [&](const storage::UserCastInfo& x) { return x.oid == cast_oid; });
      engine_->catalog()->UpdateType(CatalogStatementTxn(), std::move(next));
      return;
    }
  }
}

// A call of a LANGUAGE internal function: the built-in input and output functions of the types
// (int4in, float8out, ...), looked up by prosrc in pg_type's typinput / typoutput; other
// internal functions are 0A000.
std::vector<std::vector<Value>> RunInternalFunction(const planner::UserFunctionCall& call,
                                                    const std::vector<Value>& args,
                                                    ExecContext& ctx) {
  const storage::FunctionInfo& fn = *call.function;
  std::vector<std::vector<Value>> rows;
  const Type result = fn.return_type;
  if (uint32_t in_type = TypeOfIoFunction(fn.body, true);
      in_type != 0 && args.size() == 1 && !args[0].is_null) {
    Value v = ParseValue(args[0].s, Type::Of(static_cast<TypeId>(in_type)), ctx.format);
    if (result.id != v.type.id) {
      Value cast;
      uint64_t bits = 0;
      if (DatumBitsOf(v, &bits) && ValueFromDatumBits(bits, result, &cast)) {
        v = std::move(cast);
      } else if (TypeInfoOf(result.id).layout == ValueLayout::kString &&
                 TypeInfoOf(v.type.id).layout == ValueLayout::kString) {
        v.type = result;
      } else {
        Throw(SqlState::kFeatureNotSupported, "function {} cannot return type {}", fn.name,
              TypeName(result));
      }
    }
    rows.push_back({std::move(v)});
    return rows;
  }
  if (uint32_t out_type = TypeOfIoFunction(fn.body, false);
      out_type != 0 && args.size() == 1 && !args[0].is_null) {
    Value v = args[0];
    const Type physical = Type::Of(static_cast<TypeId>(out_type));
    if (v.type.id != physical.id) {
      Value cast;
      uint64_t bits = 0;
      if (DatumBitsOf(v, &bits) && ValueFromDatumBits(bits, physical, &cast)) {
        v = std::move(cast);
      } else {
        v.type = physical;
      }
    }
    rows.push_back({Value::Text(FormatValue(v, ctx.format), result.id)});
    return rows;
  }
  Throw(SqlState::kFeatureNotSupported, "calling internal function \"{}\" is not supported",
        fn.body);
}

}  // namespace activestore::executor
