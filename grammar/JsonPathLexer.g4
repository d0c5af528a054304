// The SQL/JSON path language's tokens, as PostgreSQL 15's jsonpath_scan.l has them: keywords
// are case-sensitive, an unquoted key is a run of "other" characters (anything not special or
// blank) and backslash escapes, and a number run into such a character is one JUNK token
// (PostgreSQL's "trailing junk after numeric literal"). Escapes are checked and decoded by
// common/jsonpath_parse.cpp, which also turns the *_FAIL and UNTERMINATED_* tokens into
// PostgreSQL's errors. No semantic predicates or actions.
lexer grammar JsonPathLexer;

AND_P: '&&';
OR_P: '||';
NOT_P: '!';
ANY_P: '**';
LESSEQUAL_P: '<=';
NOTEQUAL_P: '<>' | '!=';
LESS_P: '<';
EQUAL_P: '==';
GREATEREQUAL_P: '>=';
GREATER_P: '>';
LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';
LBRACE: '{';
RBRACE: '}';
DOT: '.';
COMMA: ',';
QUESTION: '?';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
AT: '@';
// Special characters the grammar does not use: a syntax error at them.
OTHER_SPECIAL: [#:|&=];

// Keywords (checkKeyword's list; case-sensitive).
ABS_P: 'abs';
CEILING_P: 'ceiling';
DATETIME_P: 'datetime';
DOUBLE_P: 'double';
EXISTS_P: 'exists';
FALSE_P: 'false';
FLAG_P: 'flag';
FLOOR_P: 'floor';
IS_P: 'is';
KEYVALUE_P: 'keyvalue';
LAST_P: 'last';
LAX_P: 'lax';
LIKE_REGEX_P: 'like_regex';
NULL_P: 'null';
SIZE_P: 'size';
STARTS_P: 'starts';
STRICT_P: 'strict';
TO_P: 'to';
TRUE_P: 'true';
TYPE_P: 'type';
UNKNOWN_P: 'unknown';
WITH_P: 'with';

NUMERIC_P: REAL | DECIMAL;
INT_P: INTEGER;
// `1e+`: "invalid numeric literal".
REAL_FAIL: (INTEGER | DECIMAL) [Ee] [-+];
// `1a`, `1.e`, `1.2e3x`: "trailing junk after numeric literal".
NUMBER_JUNK: (INTEGER | DECIMAL | REAL) OTHER;

ROOT: '$';
VARIABLE: '$' OTHER+;
QUOTED_VARIABLE: '$"' STRING_BODY '"';
STRING_P: '"' STRING_BODY '"';
UNTERMINATED_VARIABLE: '$"' STRING_BODY '\\'?;
UNTERMINATED_STRING: '"' STRING_BODY '\\'?;
// An unquoted key: "other" characters and escapes (a trailing lone backslash is an error).
IDENT: (OTHER | ESCAPE)+ '\\'? | '\\';

COMMENT: '/*' .*? '*/' -> skip;
UNTERMINATED_COMMENT: '/*' (~'*' | '*'+ ~[*/])* '*'*;
BLANK: [ \t\n\r\f]+ -> skip;

fragment DIGIT: [0-9];
fragment INTEGER: '0' | [1-9] DIGIT*;
fragment DECIMAL: INTEGER '.' DIGIT* | '.' DIGIT+;
fragment REAL: (INTEGER | DECIMAL) [Ee] [-+]? DIGIT+;
fragment OTHER: ~[?%$.[\]{}()|&!=<>@#,*:\-+/\\" \t\n\r\f];
fragment ESCAPE: '\\' ('u{' [0-9A-Fa-f]* '}'? | .);
fragment STRING_BODY: (~["\\] | ESCAPE)*;
