// Row values (docs/design/2026-12-06-composite-types.md): ROW(a, b) / (a, b) as a value of type
// record, its coercion to a composite type field by field (PostgreSQL's coerce_record_to_complex),
// and field selection (x).f (ParseFuncOrColumn's column projection). The executor's functions
// `row` and `record_field` (executor/composite_exprs.h) evaluate them.
#include "planner/bind_composite.h"

#include "common/composite.h"
#include "common/user_types.h"
#include "planner/binder.h"

namespace activestore::planner {

namespace {

using K = ast::ExprKind;

bool IsRowConstructor(const BoundExpr& e) {
  return e.kind == BoundExprKind::kFunction && e.op == "row" && !e.user_function;
}

}  // namespace

bool RowValueFields(const BoundExpr& e, std::vector<CompositeField>* out) {
  if (const std::vector<CompositeField>* fields = FieldsOfType(e.type)) {
    *out = *fields;
    return true;
  }
  if (e.type.id == kRecordType && IsRowConstructor(e)) {
    out->clear();
    for (size_t i = 0; i < e.children.size(); ++i) {
      out->push_back({fmt::format("f{}", i + 1), e.children[i]->type});
    }
    return true;
  }
  return false;
}

BoundExprPtr RowValueField(const BoundExprPtr& row, size_t i, Type type) {
  if (IsRowConstructor(*row)) return row->children[i];
  return MakeExpr(BoundExprKind::kFunction, type,
                  {row, MakeConst(Value::Int32(static_cast<int32_t>(i)))}, "record_field");
}

BoundExprPtr Binder::BindRowValue(const ast::Expr& e) {
  std::vector<BoundExprPtr> fields;
  fields.reserve(e.args.size());
  for (const auto& a : e.args) {
    if ((a->kind == K::kFieldSelect || a->kind == K::kColumnRef) && a->star) {
      // ROW(t.*, (x).*): the columns of the row, each a field (transformRowExpr's expansion).
      BoundExprPtr row;
      if (a->kind == K::kColumnRef) {
        row = BindExpr(*a);
      } else {
        row = BindExpr(*a->args[0]);
      }
      std::vector<CompositeField> cols;
      if (!RowValueFields(*row, &cols)) {
        ThrowAt(a->location, SqlState::kFeatureNotSupported,
                "row expansion via \"*\" is not supported here");
      }
      for (size_t i = 0; i < cols.size(); ++i)
        fields.push_back(RowValueField(row, i, cols[i].type));
      continue;
    }
    // An unknown literal stays unknown, as in PostgreSQL's RowExpr (ROW(1, 'x') has a field of
    // type unknown: it prints, but compares with nothing).
    fields.push_back(BindExpr(*a));
  }
  if (fields.size() > 1664) {
    ThrowAt(e.location, SqlState::kProgramLimitExceeded,
            "ROW expressions can have at most {} entries", 1664);
  }
  // A blessed record type (its fields f1, f2, ...), so (x).f1 binds wherever the value flows.
  std::vector<CompositeField> desc;
  desc.reserve(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    desc.push_back({fmt::format("f{}", i + 1), fields[i]->type});
  }
  return MakeExpr(BoundExprKind::kFunction, Type{kRecordType, RecordTypmodOf(desc)},
                  std::move(fields), "row");
}

std::optional<BoundExprPtr> Binder::CoerceRow(BoundExprPtr e, Type to, CoercionContext context,
                                              int location) {
  if (to.id == kRecordType && IsCompositeType(e->type.id)) {
    return e;  // every composite value is a record (the blob names its own type)
  }
  auto fields = CompositeFieldsOf(to.id);
  if (fields == nullptr || e->type.id != kRecordType || !IsRowConstructor(*e)) return std::nullopt;
  auto fail = [&](const std::string& detail) {
    Error err(SqlState::kCannotCoerce,
              fmt::format("cannot cast type record to {}", TypeDisplayName(to)));
    err.Detail(detail);
    if (location >= 0) err.Position(location + 1);
    throw err;
  };
  if (e->children.size() < fields->size()) fail("Input has too few columns.");
  if (e->children.size() > fields->size()) fail("Input has too many columns.");
  std::vector<BoundExprPtr> coerced;
  coerced.reserve(fields->size());
  for (size_t i = 0; i < fields->size(); ++i) {
    const BoundExprPtr& c = e->children[i];
    const Type ft = (*fields)[i].type;
    // An unknown literal is read by the field type's input function in any context.
    const TypeId from = c->type.id;
    if (from != ft.id && from != TypeId::kUnknown && !CanCoerce(from, ft.id, context) &&
        !(c->type.id == kRecordType && IsRowConstructor(*c) && IsCompositeType(ft.id))) {
      fail(fmt::format("Cannot cast type {} to {} in column {}.", TypeDisplayName(c->type),
                       TypeDisplayName(ft), i + 1));
    }
    coerced.push_back(Coerce(c, ft, context, location));
  }
  return MakeExpr(BoundExprKind::kFunction, to, std::move(coerced), "row");
}

BoundExprPtr Binder::BindFieldSelect(const ast::Expr& e) {
  if (e.star) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "row expansion via \"*\" is not supported here");
  }
  const std::string& name = e.names[0];
  BoundExprPtr base = BindExpr(*e.args[0]);
  std::vector<CompositeField> fields;
  if (!RowValueFields(*base, &fields)) {
    if (base->type.id == kRecordType) {
      ThrowAt(e.location, SqlState::kUndefinedColumn,
              "could not identify column \"{}\" in record data type", name);
    }
    ThrowAt(e.location, SqlState::kWrongObjectType,
            "column notation .{} applied to type {}, which is not a composite type", name,
            TypeDisplayName(base->type));
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != name) continue;
    return RowValueField(base, i, fields[i].type);  // a constructor's field is its argument
  }
  if (base->type.id == kRecordType) {
    ThrowAt(e.location, SqlState::kUndefinedColumn,
            "could not identify column \"{}\" in record data type", name);
  }
  ThrowAt(e.location, SqlState::kUndefinedColumn, "column \"{}\" not found in data type {}", name,
          TypeDisplayName(base->type));
}

}  // namespace activestore::planner
