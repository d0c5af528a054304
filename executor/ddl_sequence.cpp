// Sequence DDL: CREATE / ALTER / DROP SEQUENCE, the sequences of serial and identity columns
// (CREATE TABLE), the sequences a dropped table owns (DROP TABLE) and TRUNCATE ... RESTART
// IDENTITY, with PostgreSQL's option checks (commands/sequence.c init_params), names
// (ChooseRelationName) and dependencies (OWNED BY; column defaults that name a sequence).
//
// The catalog part is transactional like all DDL (storage::CatalogTxn). A change of how values
// are made (ALTER SEQUENCE with anything but OWNED BY; RESTART) gives the sequence a new storage
// generation starting from the state the ALTER computed, so a ROLLBACK returns to the old
// generation and its values, as PostgreSQL's new relfilenode does.
#include <charconv>
#include <limits>
#include <set>

#include "executor/deparse.h"
#include "executor/session.h"
#include "parser/literals.h"

namespace activestore::executor {
namespace {

// How PostgreSQL names an object in dependency messages: qualified unless its schema is the
// default one.
std::string Qualified(const std::string& schema, const std::string& name) {
  if (schema == "public" || schema == "pg_catalog") return name;
  return schema + "." + name;
}

[[noreturn]] void ThrowAtOption(SqlState state, const ast::SequenceOption& o, std::string msg) {
  Error e(state, std::move(msg));
  if (o.location >= 0) e.Position(o.location + 1);
  throw e;
}

// A sequence option's number as bigint (PostgreSQL's defGetInt64 -> int8in).
int64_t OptionInt64(const ast::SequenceOption& o) {
  const std::string& text = *o.number;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) {
    Throw(SqlState::kNumericValueOutOfRange, "value \"{}\" is out of range for type bigint", text);
  }
  if (ec != std::errc() || p != text.data() + text.size()) {
    // Digits only (no point or exponent) but too long for from_chars is out of range too.
    bool digits = !text.empty();
    for (size_t i = text[0] == '-' ? 1 : 0; i < text.size(); ++i) {
      digits = digits && text[i] >= '0' && text[i] <= '9';
    }
    if (digits) {
      Throw(SqlState::kNumericValueOutOfRange, "value \"{}\" is out of range for type bigint",
            text);
    }
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type bigint: \"{}\"",
          text);
  }
  return v;
}

std::pair<int64_t, int64_t> TypeRange(TypeId t) {
  switch (t) {
    case TypeId::kInt16:
      return {std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()};
    case TypeId::kInt32:
      return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    default:
      return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

std::string TypeNameOf(TypeId t) { return TypeName(Type::Of(t)); }

// The options of CREATE / ALTER SEQUENCE or of an identity column, applied to the catalog part
// (`q`) and the state (`data`), as PostgreSQL's init_params does. `is_init`: fill in the
// defaults (CREATE). Sets *need_rewrite when the values' generation must change (anything but
// OWNED BY), *owned_by to the OWNED BY option and *sequence_name to SEQUENCE NAME (identity
// columns only).
struct InitResult {
  bool need_rewrite = false;
  const ast::SequenceOption* owned_by = nullptr;
  const ast::SequenceOption* sequence_name = nullptr;
};

InitResult InitParams(const std::vector<ast::SequenceOption>& options, bool for_identity,
                      bool is_init, bool type_given, storage::SequenceInfo* q,
                      storage::SequenceData* data) {
  InitResult r;
  const ast::SequenceOption *as_type = nullptr, *start = nullptr, *restart = nullptr,
                            *increment = nullptr, *max = nullptr, *min = nullptr, *cache = nullptr,
                            *cycle = nullptr;
  auto take = [&](const ast::SequenceOption*& slot, const ast::SequenceOption& o) {
    if (slot != nullptr) {
      ThrowAtOption(SqlState::kSyntaxError, o, "conflicting or redundant options");
    }
    slot = &o;
  };
  for (const ast::SequenceOption& o : options) {
    if (o.name == "as") {
      if (type_given) ThrowAtOption(SqlState::kSyntaxError, o, "conflicting or redundant options");
      take(as_type, o);
    } else if (o.name == "increment") {
      take(increment, o);
    } else if (o.name == "start") {
      take(start, o);
    } else if (o.name == "restart") {
      take(restart, o);
    } else if (o.name == "maxvalue") {
      take(max, o);
    } else if (o.name == "minvalue") {
      take(min, o);
    } else if (o.name == "cache") {
      take(cache, o);
    } else if (o.name == "cycle") {
      take(cycle, o);
    } else if (o.name == "owned_by") {
      if (r.owned_by != nullptr) {
        ThrowAtOption(SqlState::kSyntaxError, o, "conflicting or redundant options");
      }
      r.owned_by = &o;
      continue;
    } else if (o.name == "sequence_name") {
      if (!for_identity) {
        ThrowAtOption(SqlState::kSyntaxError, o, "invalid sequence option SEQUENCE NAME");
      }
      if (r.sequence_name != nullptr) {
        ThrowAtOption(SqlState::kSyntaxError, o, "conflicting or redundant options");
      }
      r.sequence_name = &o;
      continue;
    }
    r.need_rewrite = true;
  }
  if (is_init) data->log_cnt = 0;

  bool reset_max = false, reset_min = false;
  if (as_type != nullptr) {
    Type t = planner::ResolveTypeName(*as_type->type);
    if (t.id != TypeId::kInt16 && t.id != TypeId::kInt32 && t.id != TypeId::kInt64) {
      Throw(SqlState::kInvalidParameterValue, "{}",
            for_identity ? "identity column type must be smallint, integer, or bigint"
                         : "sequence type must be smallint, integer, or bigint");
    }
    if (!is_init) {
      // Bounds that were the old type's own follow the new type.
      auto [old_min, old_max] = TypeRange(q->type);
      reset_max = q->max_value == old_max;
      reset_min = q->min_value == old_min;
    }
    q->type = t.id;
  } else if (is_init && !type_given) {
    q->type = TypeId::kInt64;
  }
  if (for_identity && q->type != TypeId::kInt16 && q->type != TypeId::kInt32 &&
      q->type != TypeId::kInt64) {
    Throw(SqlState::kInvalidParameterValue,
          "identity column type must be smallint, integer, or bigint");
  }
  auto [type_min, type_max] = TypeRange(q->type);

  if (increment != nullptr) {
    q->increment = OptionInt64(*increment);
    if (q->increment == 0) Throw(SqlState::kInvalidParameterValue, "INCREMENT must not be zero");
    data->log_cnt = 0;
  } else if (is_init) {
    q->increment = 1;
  }
  if (cycle != nullptr) {
    q->cycle = cycle->flag;
    data->log_cnt = 0;
  } else if (is_init) {
    q->cycle = false;
  }
  if (max != nullptr && max->number) {
    q->max_value = OptionInt64(*max);
    data->log_cnt = 0;
  } else if (is_init || max != nullptr || reset_max) {
    q->max_value = q->increment > 0 || reset_max ? type_max : -1;
    data->log_cnt = 0;
  }
  if (q->max_value < type_min || q->max_value > type_max) {
    Throw(SqlState::kInvalidParameterValue,
          "MAXVALUE ({}) is out of range for sequence data type {}", q->max_value,
          TypeNameOf(q->type));
  }
  if (min != nullptr && min->number) {
    q->min_value = OptionInt64(*min);
    data->log_cnt = 0;
  } else if (is_init || min != nullptr || reset_min) {
    q->min_value = q->increment < 0 || reset_min ? type_min : 1;
    data->log_cnt = 0;
  }
  if (q->min_value < type_min || q->min_value > type_max) {
    Throw(SqlState::kInvalidParameterValue,
          "MINVALUE ({}) is out of range for sequence data type {}", q->min_value,
          TypeNameOf(q->type));
  }
  if (q->min_value >= q->max_value) {
    Throw(SqlState::kInvalidParameterValue, "MINVALUE ({}) must be less than MAXVALUE ({})",
          q->min_value, q->max_value);
  }
  if (start != nullptr) {
    q->start = OptionInt64(*start);
  } else if (is_init) {
    q->start = q->increment > 0 ? q->min_value : q->max_value;
  }
  if (q->start < q->min_value) {
    Throw(SqlState::kInvalidParameterValue, "START value ({}) cannot be less than MINVALUE ({})",
          q->start, q->min_value);
  }
  if (q->start > q->max_value) {
    Throw(SqlState::kInvalidParameterValue, "START value ({}) cannot be greater than MAXVALUE ({})",
          q->start, q->max_value);
  }
  if (restart != nullptr) {
    data->last_value = restart->number ? OptionInt64(*restart) : q->start;
    data->is_called = false;
    data->log_cnt = 0;
  } else if (is_init) {
    data->last_value = q->start;
    data->is_called = false;
  }
  if (data->last_value < q->min_value) {
    Throw(SqlState::kInvalidParameterValue, "RESTART value ({}) cannot be less than MINVALUE ({})",
          data->last_value, q->min_value);
  }
  if (data->last_value > q->max_value) {
    Throw(SqlState::kInvalidParameterValue,
          "RESTART value ({}) cannot be greater than MAXVALUE ({})", data->last_value,
          q->max_value);
  }
  if (cache != nullptr) {
    q->cache = OptionInt64(*cache);
    if (q->cache <= 0) {
      Throw(SqlState::kInvalidParameterValue, "CACHE ({}) must be greater than zero", q->cache);
    }
    data->log_cnt = 0;
  } else if (is_init) {
    q->cache = 1;
  }
  return r;
}

// The columns a sequence shows (PostgreSQL 15's sequence relation).
std::vector<storage::ColumnInfo> SequenceColumns() {
  storage::ColumnInfo last{"last_value", Type::Of(TypeId::kInt64), true, std::nullopt, 0, {}};
  storage::ColumnInfo log{"log_cnt", Type::Of(TypeId::kInt64), true, std::nullopt, 0, {}};
  storage::ColumnInfo called{"is_called", Type::Of(TypeId::kBool), true, std::nullopt, 0, {}};
  return {last, log, called};
}

}  // namespace

// PostgreSQL's makeObjectName(name1, name2, label): "name1_name2_label" (no name2 part when it
// is empty), the longer of the two names shortened until it fits in 63 bytes (at a character
// boundary).
std::string MakeObjectName(const std::string& name1, const std::string& name2,
                           const std::string& label) {
  const size_t overhead = (name2.empty() ? 1 : 2) + label.size();
  const size_t avail =
      overhead < parser::kMaxIdentifierBytes ? parser::kMaxIdentifierBytes - overhead : 0;
  size_t n1 = name1.size(), n2 = name2.size();
  while (n1 + n2 > avail) {
    if (n1 > n2) {
      --n1;
    } else {
      --n2;
    }
  }
  auto clip = [](const std::string& s, size_t n) {
    while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
  };
  std::string out = clip(name1, n1);
  if (!name2.empty()) out += "_" + clip(name2, n2);
  return out + "_" + label;
}

bool SerialColumnType(const ast::TypeName& t, TypeId* id) {
  if (t.array_bounds != 0) return false;
  if (t.name == "serial" || t.name == "serial4") {
    *id = TypeId::kInt32;
  } else if (t.name == "bigserial" || t.name == "serial8") {
    *id = TypeId::kInt64;
  } else if (t.name == "smallserial" || t.name == "serial2") {
    *id = TypeId::kInt16;
  } else {
    return false;
  }
  return true;
}

namespace {

// A column default naming a sequence: "default value for column c of table t".
struct DefaultDependent {
  std::shared_ptr<const storage::TableInfo> table;
  int column;
  std::shared_ptr<const storage::TableInfo> sequence;
  std::string Describe() const {
    return fmt::format("default value for column {} of table {}", table->columns[column].name,
                       Qualified(table->schema, table->name));
  }
};

// 2BP01 `cannot drop <what> because other objects depend on it`, listing `deps`.
[[noreturn]] void ThrowDependents(const std::string& what,
                                  const std::vector<DefaultDependent>& deps) {
  std::string detail;
  for (const DefaultDependent& d : deps) {
    detail += (detail.empty() ? "" : "\n") + d.Describe() + " depends on sequence " +
              Qualified(d.sequence->schema, d.sequence->name);
  }
  throw Error(SqlState::kUndefinedObjectDependent,
              fmt::format("cannot drop {} because other objects depend on it", what))
      .Detail(detail)
      .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
}

// DROP ... CASCADE of the sequences `deps` name: their column defaults go (the columns stay),
// with PostgreSQL's notice.
void DropDefaults(const std::vector<DefaultDependent>& deps, storage::CatalogTxn* txn,
                  storage::Catalog* catalog, std::vector<Notice>* notices) {
  if (deps.empty()) return;
  Notice notice{"NOTICE", "00000", ""};
  std::map<storage::Oid, storage::TableInfo> changed;
  for (const DefaultDependent& d : deps) {
    auto [it, fresh] = changed.try_emplace(d.table->oid, *d.table);
    storage::ColumnInfo& c = it->second.columns[d.column];
    c.default_sql.reset();
    c.default_sequences.clear();
    notice.detail += (notice.detail.empty() ? "" : "\n") + ("drop cascades to " + d.Describe());
  }
  if (deps.size() == 1) {
    notice.message = std::move(notice.detail);
    notice.detail.clear();
  } else {
    notice.message = fmt::format("drop cascades to {} other objects", deps.size());
  }
  notices->push_back(std::move(notice));
  for (auto& [oid, t] : changed) {
    txn->LockRelation(oid, storage::LockMode::kAccessExclusive);
    catalog->UpdateRelation(txn, std::move(t));
  }
}

std::vector<DefaultDependent> DefaultsUsing(const storage::CatalogSnapshot& snap, storage::Oid db,
                                            const std::shared_ptr<const storage::TableInfo>& seq) {
  std::vector<DefaultDependent> out;
  for (const auto& [key, t] : snap.tables) {
    if (std::get<0>(key) != db) continue;
    for (size_t c = 0; c < t->columns.size(); ++c) {
      const auto& deps = t->columns[c].default_sequences;
      if (std::find(deps.begin(), deps.end(), seq->oid) != deps.end()) {
        out.push_back({t, static_cast<int>(c), seq});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const DefaultDependent& a, const DefaultDependent& b) {
    return a.table->oid != b.table->oid ? a.table->oid < b.table->oid : a.column < b.column;
  });
  return out;
}

}  // namespace

std::string SessionImpl::DeparseDefault(const ast::Expr& e, std::vector<uint32_t>* sequences) {
  RegclassHook hook = [&](const std::string& text, int location) {
    ast::QualifiedName name;
    try {
      name.parts = parser::SplitQualifiedName(text);
    } catch (Error& err) {
      if (location >= 0) err.Position(location + 1);
      throw;
    }
    name.location = location;
    std::string schema;
    auto rel = FindTable(name, &schema);
    if (!rel) {
      Error err(SqlState::kUndefinedTable,
                fmt::format("relation \"{}\" does not exist", fmt::join(name.parts, ".")));
      if (location >= 0) err.Position(location + 1);
      throw err;
    }
    if (std::find(sequences->begin(), sequences->end(), rel->oid) == sequences->end()) {
      sequences->push_back(rel->oid);
    }
    return QuoteIdent(rel->schema) + "." + QuoteIdent(rel->name);
  };
  return DeparseExpr(e, &hook);
}

std::optional<SessionImpl::ColumnSequence> SessionImpl::PrepareColumnSequence(
    const ast::CreateTableStatement& s, const ast::ColumnDef& col, int ord,
    storage::TableInfo* info, std::set<std::string>* taken) {
  TypeId serial_type;
  bool serial = SerialColumnType(col.type, &serial_type);
  if (!serial && col.identity == 0) return std::nullopt;
  storage::ColumnInfo& ci = info->columns[ord];
  ColumnSequence out;
  out.column = ord;
  out.schema = info->schema;
  storage::SequenceData data;
  InitResult r;
  if (serial) {
    if (!col.type.modifiers.empty()) {
      Error e(SqlState::kSyntaxError,
              fmt::format("type modifier is not allowed for type \"{}\"", TypeNameOf(serial_type)));
      if (col.type.location >= 0) e.Position(col.type.location + 1);
      throw e;
    }
    if (col.default_expr) {
      Throw(SqlState::kSyntaxError,
            "multiple default values specified for column \"{}\" of table \"{}\"", col.name,
            info->name);
    }
    ci.type = Type::Of(serial_type);
    out.info.type = serial_type;
    r = InitParams({}, false, true, true, &out.info, &data);
  } else {
    out.info.type = ci.type.id;
    r = InitParams(col.identity_options, true, true, true, &out.info, &data);
    if (r.owned_by != nullptr) {
      ThrowAtOption(SqlState::kFeatureNotSupported, *r.owned_by,
                    "OWNED BY in the options of an identity column is not supported");
    }
    out.info.identity = true;
    ci.identity = col.identity;
  }
  out.info.initial_value = data.last_value;
  out.info.initial_is_called = data.is_called;
  out.info.owner_column = ord;
  if (r.sequence_name != nullptr) {
    const auto& parts = r.sequence_name->names.parts;
    out.name = parts.back();
    if (parts.size() >= 2) {
      ast::QualifiedName qn = r.sequence_name->names;
      out.schema = CreationSchema(qn);
      if (out.schema != info->schema) {
        Throw(SqlState::kObjectNotInPrerequisiteState,
              "sequence must be in same schema as table it is linked to");
      }
    }
  } else {
    // PostgreSQL's ChooseRelationName: table_column_seq, then ..._seq1, _seq2, ...
    auto snap = CatalogView();
    auto used = [&](const std::string& n) {
      return taken->contains(n) || snap->FindTable(db_.oid, info->schema, n) != nullptr ||
             snap->FindIndexOwner(db_.oid, info->schema, n) != nullptr;
    };
    std::string label = "seq";
    out.name = MakeObjectName(info->name, col.name, label);
    for (int pass = 1; used(out.name); ++pass) {
      out.name = MakeObjectName(info->name, col.name, label + std::to_string(pass));
    }
  }
  taken->insert(out.name);
  ci.not_null = true;
  ci.default_sql = "nextval(" + QuoteLiteral(QuoteIdent(out.schema) + "." + QuoteIdent(out.name)) +
                   "::regclass)";
  (void)s;
  return out;
}

void SessionImpl::CreateColumnSequences(const storage::TableInfo& table,
                                        const std::vector<ColumnSequence>& sequences) {
  if (sequences.empty()) return;
  storage::CatalogTxn* txn = CatalogStatementTxn();
  storage::TableInfo updated = table;
  for (const ColumnSequence& cs : sequences) {
    storage::TableInfo seq;
    seq.database_oid = db_.oid;
    seq.schema = cs.schema;
    seq.name = cs.name;
    seq.columns = SequenceColumns();
    seq.sequence = cs.info;
    seq.sequence->owner_table = table.oid;
    auto created = engine_->catalog()->CreateTable(txn, std::move(seq));
    updated.columns[cs.column].default_sequences.push_back(created->oid);
  }
  engine_->catalog()->UpdateRelation(txn, std::move(updated));
}

void SessionImpl::ResolveOwnedBy(const ast::SequenceOption& owned_by, const std::string& seq_schema,
                                 storage::SequenceInfo* q) {
  const auto& parts = owned_by.names.parts;
  if (parts.size() == 1) {
    if (parts[0] != "none") {
      throw Error(SqlState::kSyntaxError, "invalid OWNED BY option")
          .Hint("Specify OWNED BY table.column or OWNED BY NONE.");
    }
    q->owner_table = 0;
    q->owner_column = -1;
    return;
  }
  ast::QualifiedName table_name;
  table_name.parts.assign(parts.begin(), parts.end() - 1);
  std::string table_schema;
  auto owner = FindAndLockTable(table_name, &table_schema, storage::LockMode::kAccessShare);
  if (!owner) {
    auto snap = CatalogView();
    std::string index_schema = table_name.parts.size() > 1 ? table_name.parts[0] : seq_schema;
    if (snap->FindIndexOwner(db_.oid, index_schema, table_name.name()) != nullptr) {
      throw Error(SqlState::kWrongObjectType,
                  fmt::format("sequence cannot be owned by relation \"{}\"", table_name.name()))
          .Detail("This operation is not supported for indexes.");
    }
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist",
          fmt::join(table_name.parts, "."));
  }
  if (owner->is_sequence()) {
    throw Error(SqlState::kWrongObjectType,
                fmt::format("sequence cannot be owned by relation \"{}\"", owner->name))
        .Detail("This operation is not supported for sequences.");
  }
  if (owner->schema != seq_schema) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "sequence must be in same schema as table it is linked to");
  }
  int ord = owner->ColumnIndex(parts.back());
  if (ord < 0) {
    Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist",
          parts.back(), owner->name);
  }
  q->owner_table = owner->oid;
  q->owner_column = ord;
}

QueryResult SessionImpl::CreateSequence(const ast::CreateSequenceStatement& s) {
  if (s.unlogged) Throw(SqlState::kFeatureNotSupported, "unlogged sequences are not supported yet");
  ast::QualifiedName unplaced = s.name;
  unplaced.location = -1;  // PostgreSQL places these errors for CREATE TABLE only
  std::string schema = CreationSchema(unplaced, s.temporary);
  auto snap = CatalogView();
  if (snap->FindTable(db_.oid, schema, s.name.name()) ||
      snap->FindIndexOwner(db_.oid, schema, s.name.name())) {
    if (s.if_not_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "42P07",
                 fmt::format("relation \"{}\" already exists, skipping", s.name.name())});
      return Tagged("CREATE SEQUENCE");
    }
    Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", s.name.name());
  }
  storage::SequenceInfo q;
  storage::SequenceData data;
  InitResult r = InitParams(s.options, false, true, false, &q, &data);
  q.initial_value = data.last_value;
  q.initial_is_called = data.is_called;
  storage::TableInfo info;
  info.database_oid = db_.oid;
  info.schema = schema;
  info.name = s.name.name();
  info.columns = SequenceColumns();
  if (r.owned_by != nullptr) ResolveOwnedBy(*r.owned_by, schema, &q);
  info.sequence = q;
  engine_->catalog()->CreateTable(CatalogStatementTxn(), std::move(info));
  return Tagged("CREATE SEQUENCE");
}

QueryResult SessionImpl::AlterSequence(const ast::AlterSequenceStatement& s) {
  if (!s.unsupported_action.empty()) {
    Throw(SqlState::kFeatureNotSupported, "ALTER SEQUENCE ... {} is not supported yet",
          s.unsupported_action);
  }
  std::string schema;
  // ShareRowExclusive, as PostgreSQL: waits for the transactions that used the sequence and
  // keeps nextval out until this one ends.
  auto seq = FindAndLockTable(s.name, &schema, storage::LockMode::kShareRowExclusive);
  if (!seq) {
    if (s.if_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "00000",
                 fmt::format("relation \"{}\" does not exist, skipping", s.name.name())});
      return Tagged("ALTER SEQUENCE");
    }
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist",
          fmt::join(s.name.parts, "."));
  }
  RequireSequence(*seq);
  ApplySequenceOptions(seq, s.options);
  return Tagged("ALTER SEQUENCE");
}

void SessionImpl::ApplySequenceOptions(const std::shared_ptr<const storage::TableInfo>& seq,
                                       const std::vector<ast::SequenceOption>& options) {
  storage::SequenceInfo q = *seq->sequence;
  storage::SequenceData data = sequences_.Read(*seq);
  InitResult r = InitParams(options, q.identity, false, false, &q, &data);
  sequences_.DropCache(seq->oid);
  if (r.owned_by != nullptr) {
    if (seq->sequence->identity) {
      auto owner = CatalogView()->FindRelationByOid(seq->sequence->owner_table);
      throw Error(SqlState::kFeatureNotSupported, "cannot change ownership of identity sequence")
          .Detail(fmt::format("Sequence \"{}\" is linked to table \"{}\".", seq->name,
                              owner ? owner->name : "?"));
    }
    ResolveOwnedBy(*r.owned_by, seq->schema, &q);
  }
  if (r.need_rewrite) {
    q.initial_value = data.last_value;
    q.initial_is_called = data.is_called;
  }
  storage::TableInfo next = *seq;
  next.sequence = q;
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next), r.need_rewrite);
}

void SessionImpl::DropSequences(
    const std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>& targets,
    bool cascade) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto snap = CatalogView();
  std::vector<DefaultDependent> dependents;
  for (const auto& [schema, t] : targets) {
    const storage::SequenceInfo& q = *t->sequence;
    if (q.identity) {
      auto owner = snap->FindRelationByOid(q.owner_table);
      if (owner && q.owner_column >= 0 &&
          q.owner_column < static_cast<int>(owner->columns.size())) {
        const std::string& col = owner->columns[q.owner_column].name;
        std::string table = Qualified(owner->schema, owner->name);
        throw Error(SqlState::kUndefinedObjectDependent,
                    fmt::format("cannot drop sequence {} because column {} of table {} requires it",
                                Qualified(t->schema, t->name), col, table))
            .Hint(fmt::format("You can drop column {} of table {} instead.", col, table));
      }
    }
    std::vector<DefaultDependent> deps = DefaultsUsing(*snap, db_.oid, t);
    if (!deps.empty() && !cascade)
      ThrowDependents("sequence " + Qualified(t->schema, t->name), deps);
    dependents.insert(dependents.end(), deps.begin(), deps.end());
  }
  DropDefaults(dependents, txn, engine_->catalog(), &pending_notices_);
  for (const auto& [schema, t] : targets) {
    engine_->catalog()->DropTable(txn, db_.oid, schema, t->name);
  }
}

void SessionImpl::DropOwnedSequences(
    const std::vector<std::shared_ptr<const storage::TableInfo>>& tables, bool cascade,
    const std::string& what) {
  auto snap = CatalogView();
  std::set<storage::Oid> dropped_tables;
  for (const auto& t : tables) dropped_tables.insert(t->oid);
  std::vector<std::shared_ptr<const storage::TableInfo>> owned;
  for (const auto& [key, t] : snap->tables) {
    if (std::get<0>(key) == db_.oid && t->is_sequence() &&
        dropped_tables.contains(t->sequence->owner_table)) {
      owned.push_back(t);
    }
  }
  if (owned.empty()) return;
  storage::CatalogTxn* txn = CatalogStatementTxn();
  // Defaults of the dropped tables go with them; those of other tables are dependents.
  std::vector<DefaultDependent> dependents;
  for (const auto& seq : owned) {
    for (DefaultDependent& d : DefaultsUsing(*snap, db_.oid, seq)) {
      if (!dropped_tables.contains(d.table->oid)) dependents.push_back(std::move(d));
    }
  }
  if (!dependents.empty() && !cascade) ThrowDependents(what, dependents);
  DropDefaults(dependents, txn, engine_->catalog(), &pending_notices_);
  for (const auto& seq : owned) {
    txn->LockRelation(seq->oid, storage::LockMode::kAccessExclusive);
    engine_->catalog()->DropTable(txn, db_.oid, seq->schema, seq->name);
  }
}

void SessionImpl::RestartOwnedSequences(const storage::TableInfo& table) {
  auto snap = CatalogView();
  storage::CatalogTxn* txn = CatalogStatementTxn();
  for (const auto& [key, t] : snap->tables) {
    if (std::get<0>(key) != db_.oid || !t->is_sequence() || t->sequence->owner_table != table.oid) {
      continue;
    }
    txn->LockRelation(t->oid, storage::LockMode::kAccessExclusive);
    storage::TableInfo next = *t;
    next.sequence->initial_value = next.sequence->start;
    next.sequence->initial_is_called = false;
    sequences_.DropCache(t->oid);
    engine_->catalog()->UpdateRelation(txn, std::move(next), /*new_sequence_generation=*/true);
  }
}

}  // namespace activestore::executor
