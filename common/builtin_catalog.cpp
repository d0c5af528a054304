#include "common/builtin_catalog.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_set>

#include "common/type_registry.h"

namespace activestore::builtin_catalog {

// The TSV files' text, embedded by the build (common/CMakeLists.txt generates the definition).
std::string_view EmbeddedTsv(std::string_view file);

namespace {

constexpr Oid kHeapAccessMethod = 2;
constexpr Oid kPgTypeClass = 1247, kPgProcClass = 1255, kPgAmClass = 2601, kPgOperatorClass = 2617;
constexpr Oid kBtreeAccessMethod = 403;

// One TSV file: a header line of column names, then rows; fields separated by tabs, `\N` is
// NULL, `\\`, `\t` and `\n` are escapes (as COPY's text format).
class Table {
 public:
  explicit Table(std::string_view file) : file_(file) {
    std::string_view text = EmbeddedTsv(file);
    bool header = true;
    while (!text.empty()) {
      const size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (line.empty()) continue;
      std::vector<OptText> fields;
      size_t start = 0;
      while (true) {
        const size_t tab = line.find('\t', start);
        fields.push_back(Unescape(line.substr(start, tab - start)));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
      }
      if (header) {
        for (size_t i = 0; i < fields.size(); ++i) columns_[*fields[i]] = i;
        header = false;
      } else {
        if (fields.size() != columns_.size())
          throw std::logic_error("builtin catalog " + std::string(file) + ": bad row");
        rows_.push_back(std::move(fields));
      }
    }
  }

  size_t size() const { return rows_.size(); }
  const OptText& Get(size_t row, std::string_view column) const {
    auto it = columns_.find(std::string(column));
    if (it == columns_.end())
      throw std::logic_error("builtin catalog " + file_ + ": no column " + std::string(column));
    return rows_[row][it->second];
  }
  std::string Text(size_t row, std::string_view column) const {
    return Get(row, column).value_or(std::string());
  }
  int64_t Int(size_t row, std::string_view column) const {
    const OptText& v = Get(row, column);
    int64_t n = 0;
    if (v) std::from_chars(v->data(), v->data() + v->size(), n);
    return n;
  }
  Oid OidOf(size_t row, std::string_view column) const {
    return static_cast<Oid>(Int(row, column));
  }
  bool Bool(size_t row, std::string_view column) const { return Text(row, column) == "t"; }
  char Char(size_t row, std::string_view column) const {
    const std::string s = Text(row, column);
    return s.empty() ? '\0' : s[0];
  }
  float Float(size_t row, std::string_view column) const { return std::stof(Text(row, column)); }

 private:
  static OptText Unescape(std::string_view f) {
    if (f == "\\N") return std::nullopt;
    std::string out;
    out.reserve(f.size());
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '\\' || i + 1 == f.size()) {
        out += f[i];
        continue;
      }
      const char c = f[++i];
      out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
    }
    return out;
  }

  std::string file_;
  std::unordered_map<std::string, size_t> columns_;
  std::vector<std::vector<OptText>> rows_;
};

std::vector<Oid> OidList(const std::string& s) {
  std::vector<Oid> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    Oid v = 0;
    std::from_chars(s.data() + start, s.data() + end, v);
    out.push_back(v);
    start = end + 1;
  }
  return out;
}

Type ReadType(const Table& t, size_t i) {
  Type x;
  x.oid = t.OidOf(i, "oid");
  x.sql_name = t.Text(i, "format_type");
  x.name = t.Text(i, "typname");
  x.len = static_cast<int16_t>(t.Int(i, "typlen"));
  x.byval = t.Bool(i, "typbyval");
  x.type = t.Char(i, "typtype");
  x.category = t.Char(i, "typcategory");
  x.align = t.Char(i, "typalign");
  x.storage = t.Char(i, "typstorage");
  x.elem = t.OidOf(i, "typelem");
  x.subscript = t.OidOf(i, "typsubscript");
  x.input = t.OidOf(i, "typinput");
  x.output = t.OidOf(i, "typoutput");
  x.receive = t.OidOf(i, "typreceive");
  x.send = t.OidOf(i, "typsend");
  x.modin = t.OidOf(i, "typmodin");
  x.modout = t.OidOf(i, "typmodout");
  x.analyze = t.OidOf(i, "typanalyze");
  return x;
}

Proc ReadProc(const Table& t, size_t i) {
  Proc p;
  p.oid = t.OidOf(i, "oid");
  p.name = t.Text(i, "proname");
  p.kind = t.Char(i, "prokind");
  p.rettype = t.OidOf(i, "prorettype");
  p.argtypes = OidList(t.Text(i, "proargtypes"));
  p.allargtypes = t.Get(i, "proallargtypes");
  p.argmodes = t.Get(i, "proargmodes");
  p.argnames = t.Get(i, "proargnames");
  p.argdefaults = t.Get(i, "proargdefaults");
  p.variadic = t.OidOf(i, "provariadic");
  p.retset = t.Bool(i, "proretset");
  p.strict = t.Bool(i, "proisstrict");
  p.leakproof = t.Bool(i, "proleakproof");
  p.volatility = t.Char(i, "provolatile");
  p.parallel = t.Char(i, "proparallel");
  p.cost = t.Float(i, "procost");
  p.rows = t.Float(i, "prorows");
  p.nargdefaults = static_cast<int16_t>(t.Int(i, "pronargdefaults"));
  p.src = t.Text(i, "prosrc");
  p.bin = t.Get(i, "probin");
  p.support = t.OidOf(i, "prosupport");
  p.lang = t.OidOf(i, "prolang");
  p.implemented = t.Bool(i, "implemented");
  return p;
}

Operator ReadOperator(const Table& t, size_t i) {
  Operator o;
  o.oid = t.OidOf(i, "oid");
  o.name = t.Text(i, "oprname");
  o.kind = t.Char(i, "oprkind");
  o.canmerge = t.Bool(i, "oprcanmerge");
  o.canhash = t.Bool(i, "oprcanhash");
  o.left = t.OidOf(i, "oprleft");
  o.right = t.OidOf(i, "oprright");
  o.result = t.OidOf(i, "oprresult");
  o.com = t.OidOf(i, "oprcom");
  o.negate = t.OidOf(i, "oprnegate");
  o.code = t.OidOf(i, "oprcode");
  o.rest = t.OidOf(i, "oprrest");
  o.join = t.OidOf(i, "oprjoin");
  o.implemented = t.Bool(i, "implemented");
  return o;
}

Aggregate ReadAggregate(const Table& t, size_t i) {
  Aggregate a;
  a.fnoid = t.OidOf(i, "aggfnoid");
  a.kind = t.Char(i, "aggkind");
  a.numdirectargs = static_cast<int16_t>(t.Int(i, "aggnumdirectargs"));
  a.transfn = t.OidOf(i, "aggtransfn");
  a.finalfn = t.OidOf(i, "aggfinalfn");
  a.combinefn = t.OidOf(i, "aggcombinefn");
  a.serialfn = t.OidOf(i, "aggserialfn");
  a.deserialfn = t.OidOf(i, "aggdeserialfn");
  a.mtransfn = t.OidOf(i, "aggmtransfn");
  a.minvtransfn = t.OidOf(i, "aggminvtransfn");
  a.mfinalfn = t.OidOf(i, "aggmfinalfn");
  a.finalextra = t.Bool(i, "aggfinalextra");
  a.mfinalextra = t.Bool(i, "aggmfinalextra");
  a.finalmodify = t.Char(i, "aggfinalmodify");
  a.mfinalmodify = t.Char(i, "aggmfinalmodify");
  a.sortop = t.OidOf(i, "aggsortop");
  a.transtype = t.OidOf(i, "aggtranstype");
  a.transspace = static_cast<int32_t>(t.Int(i, "aggtransspace"));
  a.mtranstype = t.OidOf(i, "aggmtranstype");
  a.mtransspace = static_cast<int32_t>(t.Int(i, "aggmtransspace"));
  a.initval = t.Get(i, "agginitval");
  a.minitval = t.Get(i, "aggminitval");
  return a;
}

Catalog Build() {
  Catalog c;
  // Types: the built-in ones ActiveStore has, and PostgreSQL's pseudo-types it lacks.
  const Table types("pg_type");
  std::unordered_set<Oid> pseudo;
  for (size_t i = 0; i < types.size(); ++i) {
    Type t = ReadType(types, i);
    if (FindTypeByOid(t.oid) == nullptr && t.type == 'p') pseudo.insert(t.oid);
  }
  for (size_t i = 0; i < types.size(); ++i) {
    Type t = ReadType(types, i);
    if (FindTypeByOid(t.oid) != nullptr) {
      c.types.push_back(std::move(t));
    } else if (pseudo.count(t.oid) > 0 || (t.category == 'A' && pseudo.count(t.elem) > 0)) {
      c.pseudo_types.push_back(std::move(t));
    }
  }
  for (size_t i = 0; i < c.types.size(); ++i) c.type_index[c.types[i].oid] = i;
  for (size_t i = 0; i < c.pseudo_types.size(); ++i) c.pseudo_index[c.pseudo_types[i].oid] = i;
  auto known = [&](Oid t) {
    return t == 0 || c.type_index.count(t) > 0 || c.pseudo_index.count(t) > 0;
  };

  std::unordered_set<Oid> referenced;
  auto refer = [&](Oid f) {
    if (f != 0) referenced.insert(f);
  };
  for (const std::vector<Type>* list : {&c.types, &c.pseudo_types}) {
    for (const Type& t : *list) {
      for (Oid f :
           {t.subscript, t.input, t.output, t.receive, t.send, t.modin, t.modout, t.analyze})
        refer(f);
    }
  }

  const Table ops("pg_operator");
  for (size_t i = 0; i < ops.size(); ++i) {
    Operator o = ReadOperator(ops, i);
    if (!o.implemented || !known(o.left) || !known(o.right) || !known(o.result)) continue;
    for (Oid f : {o.code, o.rest, o.join}) refer(f);
    c.operators.push_back(std::move(o));
  }
  for (size_t i = 0; i < c.operators.size(); ++i) c.operator_index[c.operators[i].oid] = i;

  const Table casts("pg_cast");
  for (size_t i = 0; i < casts.size(); ++i) {
    Cast x;
    x.oid = casts.OidOf(i, "oid");
    x.source = casts.OidOf(i, "castsource");
    x.target = casts.OidOf(i, "casttarget");
    x.func = casts.OidOf(i, "castfunc");
    x.context = casts.Char(i, "castcontext");
    x.method = casts.Char(i, "castmethod");
    x.implemented = casts.Bool(i, "implemented");
    if (!x.implemented) continue;
    refer(x.func);
    c.casts.push_back(x);
  }

  // Functions ActiveStore implements (all of whose types it has).
  const Table procs("pg_proc");
  std::vector<Proc> all;
  all.reserve(procs.size());
  std::unordered_set<Oid> implemented;
  for (size_t i = 0; i < procs.size(); ++i) {
    all.push_back(ReadProc(procs, i));
    const Proc& p = all.back();
    bool types_known = known(p.rettype);
    for (Oid a : p.argtypes) types_known = types_known && known(a);
    if (p.implemented && types_known) implemented.insert(p.oid);
  }

  const Table aggs("pg_aggregate");
  for (size_t i = 0; i < aggs.size(); ++i) {
    Aggregate a = ReadAggregate(aggs, i);
    if (implemented.count(a.fnoid) == 0) continue;
    for (Oid f : {a.transfn, a.finalfn, a.combinefn, a.serialfn, a.deserialfn, a.mtransfn,
                  a.minvtransfn, a.mfinalfn})
      refer(f);
    c.aggregates.push_back(std::move(a));
  }

  // btree operator classes of the types ActiveStore has; their families, operators and support
  // functions.
  const Table opclasses("pg_opclass");
  std::unordered_set<Oid> families;
  for (size_t i = 0; i < opclasses.size(); ++i) {
    OpClass o;
    o.oid = opclasses.OidOf(i, "oid");
    o.method = opclasses.OidOf(i, "opcmethod");
    o.name = opclasses.Text(i, "opcname");
    o.family = opclasses.OidOf(i, "opcfamily");
    o.intype = opclasses.OidOf(i, "opcintype");
    o.keytype = opclasses.OidOf(i, "opckeytype");
    o.is_default = opclasses.Bool(i, "opcdefault");
    if (o.method != kBtreeAccessMethod || !known(o.intype)) continue;
    families.insert(o.family);
    c.opclasses.push_back(std::move(o));
  }
  const Table opfamilies("pg_opfamily");
  for (size_t i = 0; i < opfamilies.size(); ++i) {
    OpFamily f{opfamilies.OidOf(i, "oid"), opfamilies.OidOf(i, "opfmethod"),
               opfamilies.Text(i, "opfname")};
    if (families.count(f.oid) > 0) c.opfamilies.push_back(std::move(f));
  }
  const Table amops("pg_amop");
  for (size_t i = 0; i < amops.size(); ++i) {
    AmOp a;
    a.oid = amops.OidOf(i, "oid");
    a.family = amops.OidOf(i, "amopfamily");
    a.lefttype = amops.OidOf(i, "amoplefttype");
    a.righttype = amops.OidOf(i, "amoprighttype");
    a.strategy = static_cast<int16_t>(amops.Int(i, "amopstrategy"));
    a.purpose = amops.Char(i, "amoppurpose");
    a.op = amops.OidOf(i, "amopopr");
    a.method = amops.OidOf(i, "amopmethod");
    a.sortfamily = amops.OidOf(i, "amopsortfamily");
    if (families.count(a.family) > 0 && c.operator_index.count(a.op) > 0) c.amops.push_back(a);
  }
  const Table amprocs("pg_amproc");
  for (size_t i = 0; i < amprocs.size(); ++i) {
    AmProc a;
    a.oid = amprocs.OidOf(i, "oid");
    a.family = amprocs.OidOf(i, "amprocfamily");
    a.lefttype = amprocs.OidOf(i, "amproclefttype");
    a.righttype = amprocs.OidOf(i, "amprocrighttype");
    a.procnum = static_cast<int16_t>(amprocs.Int(i, "amprocnum"));
    a.proc = amprocs.OidOf(i, "amproc");
    if (families.count(a.family) == 0 || !known(a.lefttype) || !known(a.righttype)) continue;
    refer(a.proc);
    c.amprocs.push_back(a);
  }

  // Tables are heap-like (rows by key in WiredTiger); every index is a btree.
  const Table ams("pg_am");
  for (size_t i = 0; i < ams.size(); ++i) {
    AccessMethod a{ams.OidOf(i, "oid"), ams.Text(i, "amname"), ams.OidOf(i, "amhandler"),
                   ams.Char(i, "amtype")};
    if (a.oid != kHeapAccessMethod && a.oid != kBtreeAccessMethod) continue;
    refer(a.handler);
    c.access_methods.push_back(std::move(a));
  }
  const Table ranges("pg_range");
  for (size_t i = 0; i < ranges.size(); ++i) {
    Range r{ranges.OidOf(i, "rngtypid"),      ranges.OidOf(i, "rngsubtype"),
            ranges.OidOf(i, "rngmultitypid"), ranges.OidOf(i, "rngcollation"),
            ranges.OidOf(i, "rngsubopc"),     ranges.OidOf(i, "rngcanonical"),
            ranges.OidOf(i, "rngsubdiff")};
    if (FindTypeByOid(r.type) != nullptr) c.ranges.push_back(r);
  }

  // The functions: implemented or named by a listed row, and the support functions of those.
  for (const Proc& p : all) {
    if (implemented.count(p.oid) > 0) refer(p.support);
  }
  // The I/O functions of the enums and domains users create (the arrays' and composites' are
  // those of the built-in array types and of record).
  auto user_type_io = [](const std::string& name) {
    return name == "enum_in" || name == "enum_out" || name == "enum_recv" || name == "enum_send" ||
           name == "domain_in" || name == "domain_recv";
  };
  for (Proc& p : all) {
    if (implemented.count(p.oid) > 0 || referenced.count(p.oid) > 0 || user_type_io(p.name)) {
      c.procs.push_back(std::move(p));
    }
  }
  for (size_t i = 0; i < c.procs.size(); ++i) {
    c.proc_index[c.procs[i].oid] = i;
    c.proc_names.emplace(c.procs[i].name, i);
  }

  // Comments on what is listed (the file holds those of the languages, collations and
  // extension ActiveStore has, and of every function, operator, type and access method).
  const Table descriptions("pg_description");
  for (size_t i = 0; i < descriptions.size(); ++i) {
    Description d{descriptions.OidOf(i, "objoid"), descriptions.OidOf(i, "classoid"),
                  static_cast<int32_t>(descriptions.Int(i, "objsubid")),
                  descriptions.Text(i, "description")};
    bool listed = true;
    switch (d.classoid) {
      case kPgProcClass:
        listed = c.proc_index.count(d.objoid) > 0;
        break;
      case kPgOperatorClass:
        listed = c.operator_index.count(d.objoid) > 0;
        break;
      case kPgTypeClass:
        listed = c.type_index.count(d.objoid) > 0 || c.pseudo_index.count(d.objoid) > 0;
        break;
      case kPgAmClass:
        listed = std::any_of(c.access_methods.begin(), c.access_methods.end(),
                             [&](const AccessMethod& a) { return a.oid == d.objoid; });
        break;
      default:
        break;
    }
    if (!listed) continue;
    c.description_index[uint64_t{d.classoid} << 32 | d.objoid] = c.descriptions.size();
    c.descriptions.push_back(std::move(d));
  }
  const Table keywords("pg_keywords");
  for (size_t i = 0; i < keywords.size(); ++i) {
    c.keywords.push_back(
        {keywords.Text(i, "word"), keywords.Char(i, "catcode"), keywords.Bool(i, "barelabel")});
  }
  return c;
}

}  // namespace

bool IsInternalFunctionSource(const std::string& src) {
  static const std::unordered_set<std::string> sources = [] {
    std::unordered_set<std::string> out;
    Table t("pg_proc");
    for (size_t i = 0; i < t.size(); ++i) {
      if (t.OidOf(i, "prolang") == 12) out.insert(t.Text(i, "prosrc"));
    }
    return out;
  }();
  return sources.count(src) != 0;
}

const Catalog& Listed() {
  static const Catalog catalog = Build();
  return catalog;
}

const Proc* FindProc(Oid oid) {
  const Catalog& c = Listed();
  auto it = c.proc_index.find(oid);
  return it == c.proc_index.end() ? nullptr : &c.procs[it->second];
}

const Type* FindType(Oid oid) {
  const Catalog& c = Listed();
  if (auto it = c.type_index.find(oid); it != c.type_index.end()) return &c.types[it->second];
  auto it = c.pseudo_index.find(oid);
  return it == c.pseudo_index.end() ? nullptr : &c.pseudo_types[it->second];
}

std::vector<Oid> ProcOidsNamed(const std::string& name) {
  const Catalog& c = Listed();
  std::vector<Oid> out;
  auto [begin, end] = c.proc_names.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(c.procs[it->second].oid);
  std::sort(out.begin(), out.end());
  return out;
}

Oid ProcOidNamed(const std::string& name) {
  const std::vector<Oid> oids = ProcOidsNamed(name);
  return oids.empty() ? 0 : oids.front();
}

const Operator* FindOperator(Oid oid) {
  const Catalog& c = Listed();
  auto it = c.operator_index.find(oid);
  return it == c.operator_index.end() ? nullptr : &c.operators[it->second];
}

const std::string* FindDescription(Oid objoid, Oid classoid) {
  const Catalog& c = Listed();
  auto it = c.description_index.find(uint64_t{classoid} << 32 | objoid);
  return it == c.description_index.end() ? nullptr : &c.descriptions[it->second].text;
}

}  // namespace activestore::builtin_catalog
