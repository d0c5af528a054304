// PostgreSQL 15's built-in catalog rows with PostgreSQL's oids: functions, operators, casts,
// aggregates, access methods, operator families and classes, their operators and support
// functions, range types, the I/O functions of each type, the comments on these objects and
// the SQL key words (common/builtin_catalog/*.tsv,
// written by tools/gen_builtin_catalog.py from a PostgreSQL 15 server; the build embeds them).
//
// Drivers and tools hard-code these oids and read the rows (pg_dump, sqlsmith, Npgsql,
// psqlODBC, pgjdbc). pg_catalog's relations list the rows ActiveStore has (Listed()):
//   - a function, operator or cast ActiveStore implements (the `implemented` column, which the
//     test `builtin_catalog` checks against the server, so it cannot go stale);
//   - a function another listed row names: the I/O functions of a listed type, an
//     operator's implementation, an aggregate's transition function, an operator class's
//     support function. These are PostgreSQL's internals; ActiveStore lists them so that the
//     rows that name them resolve (Npgsql asks for typreceive's proname), and
//     `implemented` says whether SQL can call them;
//   - a type, operator class or aggregate whose types ActiveStore has (FindTypeByOid), or a
//     pseudo-type a listed function's signature uses (anyelement, internal, cstring).
//
// Thread safety: Listed() is built once (thread-safe static) and immutable after.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace activestore::builtin_catalog {

using Oid = uint32_t;
using OptText = std::optional<std::string>;  // a column that may be NULL

struct Proc {
  Oid oid = 0;
  std::string name;
  char kind = 'f';  // prokind: f function, a aggregate, w window, p procedure
  Oid rettype = 0;
  std::vector<Oid> argtypes;  // proargtypes (input arguments)
  // proallargtypes, proargmodes, proargnames as PostgreSQL's array text ('{23,25}'), and
  // proargdefaults as pg_get_expr prints it.
  OptText allargtypes, argmodes, argnames, argdefaults;
  Oid variadic = 0;
  bool retset = false, strict = false, leakproof = false;
  char volatility = 'i', parallel = 's';
  float cost = 1, rows = 0;
  int16_t nargdefaults = 0;
  std::string src;
  OptText bin;
  Oid support = 0, lang = 0;
  bool implemented = false;
};

struct Operator {
  Oid oid = 0;
  std::string name;
  char kind = 'b';  // b infix, l prefix
  bool canmerge = false, canhash = false;
  Oid left = 0, right = 0, result = 0, com = 0, negate = 0, code = 0, rest = 0, join = 0;
  bool implemented = false;
};

struct Cast {
  Oid oid = 0, source = 0, target = 0, func = 0;
  char context = 'e', method = 'f';
  bool implemented = false;
};

struct Aggregate {
  Oid fnoid = 0;
  char kind = 'n';
  int16_t numdirectargs = 0;
  Oid transfn = 0, finalfn = 0, combinefn = 0, serialfn = 0, deserialfn = 0, mtransfn = 0,
      minvtransfn = 0, mfinalfn = 0;
  bool finalextra = false, mfinalextra = false;
  char finalmodify = 'r', mfinalmodify = 'r';
  Oid sortop = 0, transtype = 0, mtranstype = 0;
  int32_t transspace = 0, mtransspace = 0;
  OptText initval, minitval;
};

// A built-in type's pg_type columns that ActiveStore's type registry does not carry (its I/O
// functions), and the whole row of a pseudo-type.
struct Type {
  Oid oid = 0;
  std::string sql_name;  // format_type(oid, NULL)
  std::string name;      // typname
  int16_t len = 0;
  bool byval = false;
  char type = 'b', category = 'U', align = 'i', storage = 'p';
  Oid elem = 0;
  Oid subscript = 0, input = 0, output = 0, receive = 0, send = 0, modin = 0, modout = 0,
      analyze = 0;
};

struct AccessMethod {
  Oid oid = 0;
  std::string name;
  Oid handler = 0;
  char type = 'i';
};

struct OpFamily {
  Oid oid = 0, method = 0;
  std::string name;
};

struct OpClass {
  Oid oid = 0, method = 0;
  std::string name;
  Oid family = 0, intype = 0, keytype = 0;
  bool is_default = false;
};

struct AmOp {
  Oid oid = 0, family = 0, lefttype = 0, righttype = 0;
  int16_t strategy = 0;
  char purpose = 's';
  Oid op = 0, method = 0, sortfamily = 0;
};

struct AmProc {
  Oid oid = 0, family = 0, lefttype = 0, righttype = 0;
  int16_t procnum = 0;
  Oid proc = 0;
};

struct Range {
  Oid type = 0, subtype = 0, multitype = 0, collation = 0, subopc = 0, canonical = 0, subdiff = 0;
};

// PostgreSQL's comment on a built-in object (pg_description; objsubid is 0 for all of them).
struct Description {
  Oid objoid = 0, classoid = 0;
  int32_t objsubid = 0;
  std::string text;
};

// A SQL key word (pg_get_keywords): its category (U unreserved, C unreserved but not a function
// or type name, T reserved but may be a function or type name, R reserved) and whether it may
// be a column label without AS.
struct Keyword {
  std::string word;
  char category = 'U';
  bool bare_label = true;
};

struct Catalog {
  std::vector<Proc> procs;  // each list in oid order
  std::vector<Operator> operators;
  std::vector<Cast> casts;
  std::vector<Aggregate> aggregates;
  std::vector<Type> types;  // the I/O columns of every built-in type ActiveStore has
  // Pseudo-types ActiveStore's registry lacks, and their array types (cstring[]).
  std::vector<Type> pseudo_types;
  std::vector<AccessMethod> access_methods;
  std::vector<OpFamily> opfamilies;
  std::vector<OpClass> opclasses;
  std::vector<AmOp> amops;
  std::vector<AmProc> amprocs;
  std::vector<Range> ranges;
  // The comments on the listed functions, operators, types and access methods, and on the
  // languages, collations and extension ActiveStore has.
  std::vector<Description> descriptions;
  std::vector<Keyword> keywords;  // PostgreSQL 15's, by word

  std::unordered_map<Oid, size_t> proc_index;    // oid -> position in procs
  std::unordered_map<Oid, size_t> type_index;    // oid -> position in types
  std::unordered_map<Oid, size_t> pseudo_index;  // oid -> position in pseudo_types
  std::unordered_map<Oid, size_t> operator_index;
  // proname -> positions in procs (the overloads of a name), for regproc lookups and output.
  std::unordered_multimap<std::string, size_t> proc_names;
  // (classoid << 32 | objoid) -> position in descriptions.
  std::unordered_map<uint64_t, size_t> description_index;
};

// The rows ActiveStore lists (see the file comment).
const Catalog& Listed();

// A listed function, type (built-in or pseudo) or operator by oid; null if none.
const Proc* FindProc(Oid oid);
const Type* FindType(Oid oid);
const Operator* FindOperator(Oid oid);
// PostgreSQL's comment on a listed built-in object (obj_description), null if none.
const std::string* FindDescription(Oid objoid, Oid classoid);
// The oids of the listed functions named `name`, in oid order.
std::vector<Oid> ProcOidsNamed(const std::string& name);
// Whether PostgreSQL 15 has a LANGUAGE internal function whose prosrc is `src` (every built-in
// function, listed or not: CREATE FUNCTION ... LANGUAGE internal AS 'hashint4').
bool IsInternalFunctionSource(const std::string& src);
// The oid of the first listed function named `name` (for names with one function, as
// enum_in); 0 if none.
Oid ProcOidNamed(const std::string& name);

}  // namespace activestore::builtin_catalog
