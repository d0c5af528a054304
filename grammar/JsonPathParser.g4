// The SQL/JSON path language's grammar, as PostgreSQL 15's jsonpath_gram.y: a path is an
// arithmetic expression or a predicate, in lax or strict mode. Precedence (lowest first):
// || , &&, ! (only before a parenthesised predicate), comparisons, + -, * / %, unary + -.
// common/jsonpath_parse.cpp walks the tree into the binary form (common/jsonpath.h).
parser grammar JsonPathParser;

options { tokenVocab = JsonPathLexer; }

result: pathMode exprOrPredicate? EOF;

pathMode: STRICT_P | LAX_P | ;

exprOrPredicate: expr | predicate;

delimitedPredicate
  : LPAREN predicate RPAREN
  | EXISTS_P LPAREN expr RPAREN
  ;

predicate
  : delimitedPredicate                                         # predDelimited
  | LPAREN predicate RPAREN IS_P UNKNOWN_P                     # predIsUnknown
  | NOT_P delimitedPredicate                                   # predNot
  | expr compOp expr                                           # predCompare
  | expr STARTS_P WITH_P (STRING_P | VARIABLE | QUOTED_VARIABLE) # predStartsWith
  | expr LIKE_REGEX_P STRING_P (FLAG_P STRING_P)?              # predLikeRegex
  | predicate AND_P predicate                                  # predAnd
  | predicate OR_P predicate                                   # predOr
  ;

compOp: EQUAL_P | NOTEQUAL_P | LESS_P | GREATER_P | LESSEQUAL_P | GREATEREQUAL_P;

expr
  : accessorExpr                                  # exprAccessor
  | LPAREN expr RPAREN                            # exprParen
  | (PLUS | MINUS) expr                           # exprUnary
  | expr (STAR | SLASH | PERCENT) expr            # exprBinary
  | expr (PLUS | MINUS) expr                      # exprBinary
  ;

accessorExpr
  : pathPrimary accessorOp*
  | LPAREN expr RPAREN accessorOp+
  | LPAREN predicate RPAREN accessorOp+
  ;

pathPrimary
  : STRING_P | NULL_P | TRUE_P | FALSE_P | NUMERIC_P | INT_P | VARIABLE | QUOTED_VARIABLE
  | ROOT | AT | LAST_P
  ;

accessorOp
  : DOT key                                                    # accKey
  | DOT STAR                                                   # accAnyKey
  | LBRACKET STAR RBRACKET                                     # accAnyArray
  | LBRACKET indexElem (COMMA indexElem)* RBRACKET             # accIndex
  | DOT ANY_P (LBRACE anyLevel (TO_P anyLevel)? RBRACE)?       # accAny
  | DOT method LPAREN RPAREN                                   # accMethod
  | DOT DATETIME_P LPAREN STRING_P? RPAREN                     # accDatetime
  | QUESTION LPAREN predicate RPAREN                           # accFilter
  ;

indexElem: expr (TO_P expr)?;

anyLevel: INT_P | LAST_P;

method: ABS_P | SIZE_P | TYPE_P | FLOOR_P | DOUBLE_P | CEILING_P | KEYVALUE_P;

key
  : IDENT | STRING_P | TO_P | NULL_P | TRUE_P | FALSE_P | IS_P | UNKNOWN_P | EXISTS_P | STRICT_P
  | LAX_P | ABS_P | SIZE_P | TYPE_P | FLOOR_P | DOUBLE_P | CEILING_P | DATETIME_P | KEYVALUE_P
  | LAST_P | STARTS_P | WITH_P | LIKE_REGEX_P | FLAG_P
  ;
