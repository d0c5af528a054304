// pg_operator, pg_cast, pg_aggregate, pg_opfamily, pg_opclass, pg_amop, pg_amproc and pg_range:
// PostgreSQL 15's built-in rows, with its oids, that ActiveStore has (common/builtin_catalog.h).
// pg_operator adds the operators CREATE OPERATOR made (storage::OperatorInfo), pg_cast the casts
// CREATE CAST made; ActiveStore has no CREATE AGGREGATE or CREATE OPERATOR CLASS.
#include <algorithm>

#include "common/builtin_catalog.h"
#include "common/reg_types.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;
namespace bc = builtin_catalog;

Value TextOrNull(const bc::OptText& s) { return s ? Value::Text(*s) : Value::Null(T(kText)); }

void AddOperator(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_operator", 2617, 10009,
                        {{"oid", T(kOid)},
                         {"oprname", T(kName)},
                         {"oprnamespace", T(kOid)},
                         {"oprowner", T(kOid)},
                         {"oprkind", T(kChar)},
                         {"oprcanmerge", T(kBool)},
                         {"oprcanhash", T(kBool)},
                         {"oprleft", T(kOid)},
                         {"oprright", T(kOid)},
                         {"oprresult", T(kOid)},
                         {"oprcom", T(kOid)},
                         {"oprnegate", T(kOid)},
                         {"oprcode", T(kRegProcType)},
                         {"oprrest", T(kRegProcType)},
                         {"oprjoin", T(kRegProcType)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    auto row = [&](const bc::Operator& o) {
      // The commutator and negator only when ActiveStore has them too.
      auto listed = [](Oid op) { return bc::FindOperator(op) != nullptr ? op : 0; };
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("oid", OidValue(o.oid))
                          .Set("oprname", NameValue(o.name))
                          .Set("oprnamespace", OidValue(kPgCatalogNamespaceOid))
                          .Set("oprowner", OidValue(kBootstrapSuperuserOid))
                          .Set("oprkind", CharValue(o.kind))
                          .Set("oprcanmerge", Value::Bool(o.canmerge))
                          .Set("oprcanhash", Value::Bool(o.canhash))
                          .Set("oprleft", OidValue(o.left))
                          .Set("oprright", OidValue(o.right))
                          .Set("oprresult", OidValue(o.result))
                          .Set("oprcom", OidValue(listed(o.com)))
                          .Set("oprnegate", OidValue(listed(o.negate)))
                          .Set("oprcode", RegProcValue(o.code))
                          .Set("oprrest", RegProcValue(o.rest))
                          .Set("oprjoin", RegProcValue(o.join))
                          .Take());
    };
    // CREATE OPERATOR's operators, in oid order.
    auto user_rows = [&](std::optional<Oid> only) {
      if (ctx.catalog == nullptr) return;
      std::vector<std::pair<Oid, const storage::OperatorInfo*>> user;
      for (const auto& [k, sc] : ctx.catalog->schemas) {
        if (k.first != ctx.database_oid) continue;
        for (const storage::OperatorInfo& op : sc.operators) {
          if (!only || op.oid == *only) user.emplace_back(sc.oid, &op);
        }
      }
      std::sort(user.begin(), user.end(),
                [](const auto& a, const auto& b) { return a.second->oid < b.second->oid; });
      auto estimator = [](const std::string& name) -> Oid {
        if (name.empty()) return 0;
        std::vector<Oid> oids = bc::ProcOidsNamed(name);
        return oids.empty() ? 0 : oids.front();
      };
      for (const auto& [nsp, op] : user) {
        rows->push_back(RowBuilder(*rel, ctx)
                            .Set("oid", OidValue(op->oid))
                            .Set("oprname", NameValue(op->name))
                            .Set("oprnamespace", OidValue(nsp))
                            .Set("oprowner", OidValue(op->owner))
                            .Set("oprkind", CharValue(op->left == 0 ? 'l' : 'b'))
                            .Set("oprcanmerge", Value::Bool(op->merges))
                            .Set("oprcanhash", Value::Bool(op->hashes))
                            .Set("oprleft", OidValue(op->left))
                            .Set("oprright", OidValue(op->right))
                            .Set("oprresult", OidValue(op->result))
                            .Set("oprcom", OidValue(op->commutator))
                            .Set("oprnegate", OidValue(op->negator))
                            .Set("oprcode", RegProcValue(op->function))
                            .Set("oprrest", RegProcValue(estimator(op->restrict_fn)))
                            .Set("oprjoin", RegProcValue(estimator(op->join_fn)))
                            .Take());
      }
    };
    if (key != nullptr && key->column == 0 && !key->value.is_null) {
      const Oid oid = static_cast<Oid>(key->value.i);
      if (const bc::Operator* o = bc::FindOperator(oid)) {
        row(*o);
      } else if (oid >= 16384) {
        user_rows(oid);
      }
      return;
    }
    for (const bc::Operator& o : bc::Listed().operators) row(o);
    user_rows(std::nullopt);
  };
  out->push_back(std::move(r));
}

void AddCast(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_cast", 2605, 10043,
                        {{"oid", T(kOid)},
                         {"castsource", T(kOid)},
                         {"casttarget", T(kOid)},
                         {"castfunc", T(kOid)},
                         {"castcontext", T(kChar)},
                         {"castmethod", T(kChar)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    auto row = [&](Oid oid, Oid source, Oid target, Oid func, char context, char method) {
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("oid", OidValue(oid))
                          .Set("castsource", OidValue(source))
                          .Set("casttarget", OidValue(target))
                          .Set("castfunc", OidValue(func))
                          .Set("castcontext", CharValue(context))
                          .Set("castmethod", CharValue(method))
                          .Take());
    };
    for (const bc::Cast& c : bc::Listed().casts) {
      row(c.oid, c.source, c.target, c.func, c.context, c.method);
    }
    // CREATE CAST's casts (docs/design/2026-12-07-base-types-casts.md), in oid order.
    if (ctx.catalog == nullptr) return;
    std::vector<storage::UserCastInfo> user;
    for (const auto& [key, t] : ctx.catalog->types) {
      if (t->database_oid != ctx.database_oid) continue;
      user.insert(user.end(), t->casts.begin(), t->casts.end());
    }
    std::sort(user.begin(), user.end(), [](const auto& a, const auto& b) { return a.oid < b.oid; });
    for (const storage::UserCastInfo& c : user) {
      row(c.oid, c.source, c.target, c.function, c.context, c.method);
    }
  };
  out->push_back(std::move(r));
}

void AddAggregate(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_aggregate", 2600, 10027,
                        {{"aggfnoid", T(kRegProcType)},    {"aggkind", T(kChar)},
                         {"aggnumdirectargs", T(kInt16)},  {"aggtransfn", T(kRegProcType)},
                         {"aggfinalfn", T(kRegProcType)},  {"aggcombinefn", T(kRegProcType)},
                         {"aggserialfn", T(kRegProcType)}, {"aggdeserialfn", T(kRegProcType)},
                         {"aggmtransfn", T(kRegProcType)}, {"aggminvtransfn", T(kRegProcType)},
                         {"aggmfinalfn", T(kRegProcType)}, {"aggfinalextra", T(kBool)},
                         {"aggmfinalextra", T(kBool)},     {"aggfinalmodify", T(kChar)},
                         {"aggmfinalmodify", T(kChar)},    {"aggsortop", T(kOid)},
                         {"aggtranstype", T(kOid)},        {"aggtransspace", T(kInt32)},
                         {"aggmtranstype", T(kOid)},       {"aggmtransspace", T(kInt32)},
                         {"agginitval", T(kText)},         {"aggminitval", T(kText)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const bc::Aggregate& a : bc::Listed().aggregates) {
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("aggfnoid", RegProcValue(a.fnoid))
                          .Set("aggkind", CharValue(a.kind))
                          .Set("aggnumdirectargs", Int2Value(a.numdirectargs))
                          .Set("aggtransfn", RegProcValue(a.transfn))
                          .Set("aggfinalfn", RegProcValue(a.finalfn))
                          .Set("aggcombinefn", RegProcValue(a.combinefn))
                          .Set("aggserialfn", RegProcValue(a.serialfn))
                          .Set("aggdeserialfn", RegProcValue(a.deserialfn))
                          .Set("aggmtransfn", RegProcValue(a.mtransfn))
                          .Set("aggminvtransfn", RegProcValue(a.minvtransfn))
                          .Set("aggmfinalfn", RegProcValue(a.mfinalfn))
                          .Set("aggfinalextra", Value::Bool(a.finalextra))
                          .Set("aggmfinalextra", Value::Bool(a.mfinalextra))
                          .Set("aggfinalmodify", CharValue(a.finalmodify))
                          .Set("aggmfinalmodify", CharValue(a.mfinalmodify))
                          .Set("aggsortop", OidValue(a.sortop))
                          .Set("aggtranstype", OidValue(a.transtype))
                          .Set("aggtransspace", Value::Int32(a.transspace))
                          .Set("aggmtranstype", OidValue(a.mtranstype))
                          .Set("aggmtransspace", Value::Int32(a.mtransspace))
                          .Set("agginitval", TextOrNull(a.initval))
                          .Set("aggminitval", TextOrNull(a.minitval))
                          .Take());
    }
  };
  out->push_back(std::move(r));
}

void AddOperatorClasses(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto fam = MakeRelation("pg_opfamily", 2753, 10011,
                          {{"oid", T(kOid)},
                           {"opfmethod", T(kOid)},
                           {"opfname", T(kName)},
                           {"opfnamespace", T(kOid)},
                           {"opfowner", T(kOid)}});
  const SystemRelation* frel = fam.get();
  fam->rows = [frel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const bc::OpFamily& f : bc::Listed().opfamilies) {
      rows->push_back(RowBuilder(*frel, ctx)
                          .Set("oid", OidValue(f.oid))
                          .Set("opfmethod", OidValue(f.method))
                          .Set("opfname", NameValue(f.name))
                          .Set("opfnamespace", OidValue(kPgCatalogNamespaceOid))
                          .Set("opfowner", OidValue(kBootstrapSuperuserOid))
                          .Take());
    }
  };
  out->push_back(std::move(fam));

  auto cls = MakeRelation("pg_opclass", 2616, 10013,
                          {{"oid", T(kOid)},
                           {"opcmethod", T(kOid)},
                           {"opcname", T(kName)},
                           {"opcnamespace", T(kOid)},
                           {"opcowner", T(kOid)},
                           {"opcfamily", T(kOid)},
                           {"opcintype", T(kOid)},
                           {"opcdefault", T(kBool)},
                           {"opckeytype", T(kOid)}});
  const SystemRelation* crel = cls.get();
  cls->rows = [crel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const bc::OpClass& c : bc::Listed().opclasses) {
      rows->push_back(RowBuilder(*crel, ctx)
                          .Set("oid", OidValue(c.oid))
                          .Set("opcmethod", OidValue(c.method))
                          .Set("opcname", NameValue(c.name))
                          .Set("opcnamespace", OidValue(kPgCatalogNamespaceOid))
                          .Set("opcowner", OidValue(kBootstrapSuperuserOid))
                          .Set("opcfamily", OidValue(c.family))
                          .Set("opcintype", OidValue(c.intype))
                          .Set("opcdefault", Value::Bool(c.is_default))
                          .Set("opckeytype", OidValue(c.keytype))
                          .Take());
    }
  };
  out->push_back(std::move(cls));

  auto amop = MakeRelation("pg_amop", 2602, 10017,
                           {{"oid", T(kOid)},
                            {"amopfamily", T(kOid)},
                            {"amoplefttype", T(kOid)},
                            {"amoprighttype", T(kOid)},
                            {"amopstrategy", T(kInt16)},
                            {"amoppurpose", T(kChar)},
                            {"amopopr", T(kOid)},
                            {"amopmethod", T(kOid)},
                            {"amopsortfamily", T(kOid)}});
  const SystemRelation* orel = amop.get();
  amop->rows = [orel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const bc::AmOp& a : bc::Listed().amops) {
      rows->push_back(RowBuilder(*orel, ctx)
                          .Set("oid", OidValue(a.oid))
                          .Set("amopfamily", OidValue(a.family))
                          .Set("amoplefttype", OidValue(a.lefttype))
                          .Set("amoprighttype", OidValue(a.righttype))
                          .Set("amopstrategy", Int2Value(a.strategy))
                          .Set("amoppurpose", CharValue(a.purpose))
                          .Set("amopopr", OidValue(a.op))
                          .Set("amopmethod", OidValue(a.method))
                          .Set("amopsortfamily", OidValue(a.sortfamily))
                          .Take());
    }
  };
  out->push_back(std::move(amop));

  auto amproc = MakeRelation("pg_amproc", 2603, 10019,
                             {{"oid", T(kOid)},
                              {"amprocfamily", T(kOid)},
                              {"amproclefttype", T(kOid)},
                              {"amprocrighttype", T(kOid)},
                              {"amprocnum", T(kInt16)},
                              {"amproc", T(kRegProcType)}});
  const SystemRelation* prel = amproc.get();
  amproc->rows = [prel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const bc::AmProc& a : bc::Listed().amprocs) {
      rows->push_back(RowBuilder(*prel, ctx)
                          .Set("oid", OidValue(a.oid))
                          .Set("amprocfamily", OidValue(a.family))
                          .Set("amproclefttype", OidValue(a.lefttype))
                          .Set("amprocrighttype", OidValue(a.righttype))
                          .Set("amprocnum", Int2Value(a.procnum))
                          .Set("amproc", RegProcValue(a.proc))
                          .Take());
    }
  };
  out->push_back(std::move(amproc));
}

void AddRange(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_range", 3541, 10101,
                        {{"rngtypid", T(kOid)},
                         {"rngsubtype", T(kOid)},
                         {"rngmultitypid", T(kOid)},
                         {"rngcollation", T(kOid)},
                         {"rngsubopc", T(kOid)},
                         {"rngcanonical", T(kRegProcType)},
                         {"rngsubdiff", T(kRegProcType)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    // Empty until ActiveStore has range types (the list holds the ones whose type it has).
    for (const bc::Range& g : bc::Listed().ranges) {
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("rngtypid", OidValue(g.type))
                          .Set("rngsubtype", OidValue(g.subtype))
                          .Set("rngmultitypid", OidValue(g.multitype))
                          .Set("rngcollation", OidValue(g.collation))
                          .Set("rngsubopc", OidValue(g.subopc))
                          .Set("rngcanonical", RegProcValue(g.canonical))
                          .Set("rngsubdiff", RegProcValue(g.subdiff))
                          .Take());
    }
  };
  out->push_back(std::move(r));
}

}  // namespace

void AddBuiltinRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddOperator(out);
  AddCast(out);
  AddAggregate(out);
  AddOperatorClasses(out);
  AddRange(out);
}

}  // namespace activestore::planner::pg_catalog
