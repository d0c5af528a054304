// The json and jsonb functions and operators of PostgreSQL 15's chapter 9.16 (without jsonpath),
// on common/json.h and common/jsonb.h: registered into functions.cpp's table by name; the
// planner's side (resolution, the operators' function names) is planner/bind_json.cpp.
// docs/design/2026-12-06-jsonb.md.
//
// Thread safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "common/value.h"
#include "executor/string_functions.h"

namespace activestore::executor {

const std::vector<StringFunctionEntry>& JsonFunctionEntries();
// json[b]_array_elements[_text], json[b]_object_keys.
const std::vector<SetFunctionEntry>& JsonSetFunctionEntries();
// The SQL/JSON path functions (jsonpath_functions.cpp), included in the two lists above.
const std::vector<StringFunctionEntry>& JsonPathFunctionEntries();
const std::vector<SetFunctionEntry>& JsonPathSetFunctionEntries();
// FROM json[b]_each[_text](arg): the (key, value) rows; json[b]_array_elements[_text](arg): the
// (value) rows.
std::vector<std::vector<Value>> EvaluateJsonEach(const std::string& name, const Value& arg);
// FROM json[b]_to_record(arg) / json[b]_to_recordset(arg) AS t(col type, ...): one row per
// object (the one object; each element of the array), each column the object's key of its
// name (PostgreSQL's populate_record): NULL when missing or JSON null, json/jsonb as the value,
// another type through its input function from the value's text (a string unquoted). NULL arg:
// a row of NULLs (to_record) or none (to_recordset). 22023 for an argument of the wrong shape.
std::vector<std::vector<Value>> EvaluateJsonToRecord(const std::string& name, const Value& arg,
                                                     const std::vector<std::string>& columns,
                                                     const std::vector<Type>& types,
                                                     const FormatOptions& format);

// to_json's text of a value of any type (datum_to_json): numbers and booleans bare, strings and
// date/time values quoted, arrays as JSON arrays, json as is, jsonb as its text, NULL as null.
void AppendValueAsJson(const Value& v, std::string* out);
// to_jsonb's node of a value of any type.
void AppendValueAsJsonbNode(const Value& v, std::string* out);

}  // namespace activestore::executor
