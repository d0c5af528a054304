// Lexer for ActiveStore's PostgreSQL dialect. Generated into activestore::grammar::SqlLexer.
//
// Keywords are case-insensitive (letter fragments); identifiers are returned as written and
// lower-cased by parser/ (unless double-quoted). Tokens whose name ends in _P avoid clashes
// with C/C++ macros (NULL, TRUE, ...). Comments and white space are skipped.
//
// Dollar-quoted strings and nested block comments need to compare text at run time, so they are
// matched by a short prefix rule whose action consumes the rest (see @lexer::members). Unclosed
// strings, identifiers and comments become UNTERMINATED_* tokens, which parser/ turns into
// PostgreSQL's "unterminated ..." errors when the parser reaches them. Any other stray character
// is an ERROR_CHAR token, so the lexer itself never fails.
lexer grammar SqlLexer;

@lexer::members {
  // standard_conforming_strings: when false, a backslash escapes in '...' too (parser/ sets it).
  bool standard_strings = true;

  // Called after an opening tag (dollar sign, optional tag, dollar sign) has been matched:
  // consumes the body up to and including the same tag. At end of input without it, the token
  // becomes UNTERMINATED_DOLLAR_STRING.
  void ConsumeDollarBody() {
    const size_t start = getCharIndex();  // just after the opening tag
    const size_t begin = tokenStartCharIndex;
    const size_t tag_len = start - begin;
    std::vector<size_t> tag;
    tag.reserve(tag_len);
    for (size_t i = 0; i < tag_len; ++i) {
      tag.push_back(static_cast<size_t>(_input->LA(-static_cast<ssize_t>(tag_len - i))));
    }
    for (;;) {
      const size_t c = _input->LA(1);
      if (c == antlr4::Token::EOF) {
        setType(UNTERMINATED_DOLLAR_STRING);
        return;
      }
      if (c == '$') {
        bool match = true;
        for (size_t i = 0; i < tag_len; ++i) {
          if (static_cast<size_t>(_input->LA(static_cast<ssize_t>(i + 1))) != tag[i]) {
            match = false;
            break;
          }
        }
        if (match) {
          for (size_t i = 0; i < tag_len; ++i) _input->consume();
          return;
        }
      }
      _input->consume();
    }
  }

  // Called after the opening quote of a '...' literal: consumes the body and the closing quote.
  // '' is a quote. With standard_strings false a backslash escapes the next character too, and
  // a literal with one becomes an ESTRING (whose text starts with the quote), as PostgreSQL reads
  // it. At end of input the token becomes UNTERMINATED_STRING (or UNTERMINATED_ESTRING).
  void ConsumeQuotedBody() {
    bool backslash = false;
    for (;;) {
      const size_t c = _input->LA(1);
      if (c == antlr4::Token::EOF) {
        setType(backslash ? UNTERMINATED_ESTRING : UNTERMINATED_STRING);
        return;
      }
      _input->consume();
      if (c == '\'') {
        if (_input->LA(1) == '\'') {
          _input->consume();
          continue;
        }
        if (backslash) setType(ESTRING);
        return;
      }
      if (c == '\\' && !standard_strings) {
        backslash = true;
        if (_input->LA(1) == antlr4::Token::EOF) {
          setType(UNTERMINATED_ESTRING);
          return;
        }
        _input->consume();
      }
    }
  }

  // Called after "/*" has been matched: consumes a (possibly nested) block comment and skips
  // it. At end of input without the closing "*/", the token becomes UNTERMINATED_COMMENT.
  void ConsumeBlockComment() {
    int depth = 1;
    for (;;) {
      const size_t c = _input->LA(1);
      if (c == antlr4::Token::EOF) {
        setType(UNTERMINATED_COMMENT);
        return;
      }
      if (c == '/' && _input->LA(2) == '*') {
        _input->consume();
        ++depth;
      } else if (c == '*' && _input->LA(2) == '/') {
        _input->consume();
        if (--depth == 0) {
          _input->consume();
          skip();
          return;
        }
      }
      _input->consume();
    }
  }

  // Called after a run of operator characters has been matched (OP): cuts it as PostgreSQL's
  // lexer does (scan.l, {operator}) and gives back what it does not keep. The run stops before
  // "--" or "/*"; a run of more than one character cannot end in + or - unless it also holds one
  // of ~ ! @ # ^ & | ` ? % (so "=-" is = then -, but "@-" is one operator). What remains is the
  // token of its own when it has one (+, <=, != ...), else OP.
  void CutOperator() {
    std::string text = getText();
    size_t n = text.size();
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      if ((text[i] == '-' && text[i + 1] == '-') || (text[i] == '/' && text[i + 1] == '*')) {
        n = i;
        break;
      }
    }
    if (n > 1 && (text[n - 1] == '+' || text[n - 1] == '-')) {
      bool special = false;
      for (size_t i = 0; i + 1 < n; ++i) {
        if (std::string_view("~!@#^&|`?%").find(text[i]) != std::string_view::npos) special = true;
      }
      if (!special) {
        do {
          --n;
        } while (n > 1 && (text[n - 1] == '+' || text[n - 1] == '-'));
      }
    }
    if (n < text.size()) {
      const size_t back = text.size() - n;
      _input->seek(_input->index() - back);
      setCharPositionInLine(getCharPositionInLine() - back);
      text.resize(n);
    }
    static const std::pair<const char*, size_t> kOwn[] = {
        {"+", PLUS}, {"-", MINUS}, {"*", STAR}, {"/", SLASH}, {"%", PERCENT}, {"^", CARET},
        {"<", LT}, {">", GT}, {"=", EQ}, {"<=", LE}, {">=", GE}, {"<>", NE}, {"!=", NE},
        {"||", CONCAT}, {"=>", EQUALS_GREATER}};
    for (const auto& [t, type] : kOwn) {
      if (text == t) {
        setType(type);
        return;
      }
    }
  }
}

tokens { UNTERMINATED_DOLLAR_STRING, UNTERMINATED_COMMENT, UNTERMINATED_STRING }

// ---- Keywords (alphabetical). Their category (reserved or not) is decided in SqlParser.g4.
ABORT: A B O R T;
ABSOLUTE_P: A B S O L U T E;
ACTION: A C T I O N;
AGGREGATE: A G G R E G A T E;
ALL: A L L;
ALTER: A L T E R;
ALWAYS: A L W A Y S;
ANALYSE: A N A L Y S E;
ANALYZE: A N A L Y Z E;
AND: A N D;
ANY: A N Y;
ARRAY: A R R A Y;
AS: A S;
ASC: A S C;
ASENSITIVE: A S E N S I T I V E;
ASYMMETRIC: A S Y M M E T R I C;
ATOMIC: A T O M I C;
AT: A T;
AUTHORIZATION: A U T H O R I Z A T I O N;
BACKWARD: B A C K W A R D;
BEGIN: B E G I N;
BETWEEN: B E T W E E N;
BIGINT: B I G I N T;
BINARY: B I N A R Y;
BIT: B I T;
BOOLEAN: B O O L E A N;
BREADTH: B R E A D T H;
BOTH: B O T H;
BY: B Y;
CACHE: C A C H E;
CALL: C A L L;
CASCADE: C A S C A D E;
CASCADED: C A S C A D E D;
CASE: C A S E;
CAST: C A S T;
CHAIN: C H A I N;
CHAR: C H A R;
CHARACTER: C H A R A C T E R;
CHARACTERISTICS: C H A R A C T E R I S T I C S;
CHECK: C H E C K;
CHECKPOINT: C H E C K P O I N T;
CLOSE: C L O S E;
CLUSTER: C L U S T E R;
COALESCE: C O A L E S C E;
COLLATE: C O L L A T E;
COLLECTION: C O L L E C T I O N;  // ours: CREATE COLLECTION
COLUMN: C O L U M N;
COMMENT: C O M M E N T;
COMMIT: C O M M I T;
COMMITTED: C O M M I T T E D;
CONCURRENTLY: C O N C U R R E N T L Y;
CONFLICT: C O N F L I C T;
CONSTRAINT: C O N S T R A I N T;
CONTINUE: C O N T I N U E;
COPY: C O P Y;
CREATE: C R E A T E;
CROSS: C R O S S;
CUBE: C U B E;
CURRENT_CATALOG: C U R R E N T '_' C A T A L O G;
CURRENT_DATE: C U R R E N T '_' D A T E;
CURRENT_ROLE: C U R R E N T '_' R O L E;
CURRENT_SCHEMA: C U R R E N T '_' S C H E M A;
CURRENT_TIME: C U R R E N T '_' T I M E;
CURRENT_TIMESTAMP: C U R R E N T '_' T I M E S T A M P;
CURRENT_USER: C U R R E N T '_' U S E R;
CURRENT_P: C U R R E N T;
CURSOR: C U R S O R;
CYCLE: C Y C L E;
DATA: D A T A;
DATABASE: D A T A B A S E;
DAY: D A Y;
DEALLOCATE: D E A L L O C A T E;
DEC: D E C;
DECIMAL: D E C I M A L;
DECLARE: D E C L A R E;
DEFAULT: D E F A U L T;
DEFERRABLE: D E F E R R A B L E;
DELETE: D E L E T E;
DEPTH: D E P T H;
DESC: D E S C;
DISCARD: D I S C A R D;
DISTINCT: D I S T I N C T;
DO: D O;
DOMAIN_P: D O M A I N;
DOUBLE: D O U B L E;
DROP: D R O P;
ELSE: E L S E;
END: E N D;
ESCAPE: E S C A P E;
EXCEPT: E X C E P T;
EXCLUDE: E X C L U D E;
EXECUTE: E X E C U T E;
EXISTS: E X I S T S;
EXPLAIN: E X P L A I N;
EXTENSION: E X T E N S I O N;
EXTRACT: E X T R A C T;
FALSE_P: F A L S E;
FETCH: F E T C H;
FILTER: F I L T E R;
FIRST: F I R S T;
FLOAT: F L O A T;
FOR: F O R;
FOREIGN: F O R E I G N;
FORWARD: F O R W A R D;
FREEZE: F R E E Z E;
FOLLOWING: F O L L O W I N G;
FROM: F R O M;
FULL: F U L L;
FUNCTION: F U N C T I O N;
GENERATED: G E N E R A T E D;
GLOBAL: G L O B A L;
GRANT: G R A N T;
GREATEST: G R E A T E S T;
GROUP: G R O U P;
GROUPING: G R O U P I N G;
GROUPS: G R O U P S;
HAVING: H A V I N G;
HOLD: H O L D;
HOUR: H O U R;
IDENTITY: I D E N T I T Y;
IF: I F;
ILIKE: I L I K E;
IN: I N;
INCLUDE: I N C L U D E;
INHERIT: I N H E R I T;
INHERITS: I N H E R I T S;
INCREMENT: I N C R E M E N T;
INDEX: I N D E X;
INITIALLY: I N I T I A L L Y;
INNER: I N N E R;
INOUT: I N O U T;
INSENSITIVE: I N S E N S I T I V E;
INSERT: I N S E R T;
INT: I N T;
INTEGER: I N T E G E R;
INTERSECT: I N T E R S E C T;
INTERVAL: I N T E R V A L;
INTO: I N T O;
IS: I S;
ISNULL: I S N U L L;
ISOLATION: I S O L A T I O N;
JOIN: J O I N;
KEY: K E Y;
LAST: L A S T;
LATERAL: L A T E R A L;
LEADING: L E A D I N G;
LEAST: L E A S T;
LEFT: L E F T;
LEVEL: L E V E L;
LIKE: L I K E;
LIMIT: L I M I T;
LISTEN: L I S T E N;
LOCAL: L O C A L;
LOCALTIME: L O C A L T I M E;
LOCALTIMESTAMP: L O C A L T I M E S T A M P;
LOCK: L O C K;
LOCKED: L O C K E D;
MATCH: M A T C H;
MATCHED: M A T C H E D;
MATERIALIZED: M A T E R I A L I Z E D;
MAXVALUE: M A X V A L U E;
MERGE: M E R G E;
MINUTE: M I N U T E;
MINVALUE: M I N V A L U E;
MONTH: M O N T H;
MOVE: M O V E;
NAMES: N A M E S;
NATIONAL: N A T I O N A L;
NATURAL: N A T U R A L;
NCHAR: N C H A R;
NEXT: N E X T;
NO: N O;
NOT: N O T;
NOTHING: N O T H I N G;
NOTIFY: N O T I F Y;
NOTNULL: N O T N U L L;
NOWAIT: N O W A I T;
NULLIF: N U L L I F;
NULLS: N U L L S;
NULL_P: N U L L;
NUMERIC: N U M E R I C;
OF: O F;
OFFSET: O F F S E T;
ON: O N;
ONLY: O N L Y;
OPERATOR: O P E R A T O R;
OPTION: O P T I O N;
OR: O R;
OTHERS: O T H E R S;
ORDER: O R D E R;
ORDINALITY: O R D I N A L I T Y;
OUTER: O U T E R;
OUT_P: O U T;
OVER: O V E R;
OVERLAY: O V E R L A Y;
OVERLAPS: O V E R L A P S;
OVERRIDING: O V E R R I D I N G;
OWNED: O W N E D;
OWNER: O W N E R;
PARTIAL: P A R T I A L;
PARTITION: P A R T I T I O N;
PLACING: P L A C I N G;
PLANS: P L A N S;
POLICY: P O L I C Y;
POSITION: P O S I T I O N;
PRECISION: P R E C I S I O N;
PREPARE: P R E P A R E;
PREPARED: P R E P A R E D;
PRESERVE: P R E S E R V E;
PRECEDING: P R E C E D I N G;
PRIMARY: P R I M A R Y;
PRIOR: P R I O R;
PROCEDURE: P R O C E D U R E;
PROGRAM: P R O G R A M;
READ: R E A D;
REAL: R E A L;
RECURSIVE: R E C U R S I V E;
RANGE: R A N G E;
REFERENCES: R E F E R E N C E S;
REFRESH: R E F R E S H;
REINDEX: R E I N D E X;
RELATIVE_P: R E L A T I V E;
RELEASE: R E L E A S E;
REPEATABLE: R E P E A T A B L E;
REPLACE: R E P L A C E;
RESET: R E S E T;
RESTART: R E S T A R T;
RESTRICT: R E S T R I C T;
RETURNING: R E T U R N I N G;
RETURN: R E T U R N;
RETURNS: R E T U R N S;
REVOKE: R E V O K E;
RIGHT: R I G H T;
ROLE: R O L E;
ROLLBACK: R O L L B A C K;
ROLLUP: R O L L U P;
ROW: R O W;
ROWS: R O W S;
RULE: R U L E;
SAVEPOINT: S A V E P O I N T;
SCHEMA: S C H E M A;
SCROLL: S C R O L L;
SEARCH: S E A R C H;
SECOND: S E C O N D;
SELECT: S E L E C T;
SEQUENCE: S E Q U E N C E;
SEQUENCES: S E Q U E N C E S;
SERIALIZABLE: S E R I A L I Z A B L E;
SESSION: S E S S I O N;
SESSION_USER: S E S S I O N '_' U S E R;
SET: S E T;
SETOF: S E T O F;
SETS: S E T S;
SHARE: S H A R E;
SHOW: S H O W;
SIMILAR: S I M I L A R;
SIMPLE: S I M P L E;
SKIP_P: S K I P;
SMALLINT: S M A L L I N T;
SOME: S O M E;
START: S T A R T;
STDIN: S T D I N;
STDOUT: S T D O U T;
STORED: S T O R E D;
SUBSTRING: S U B S T R I N G;
SYMMETRIC: S Y M M E T R I C;
SYSTEM_P: S Y S T E M;
TABLE: T A B L E;
TABLESAMPLE: T A B L E S A M P L E;
TEMP: T E M P;
TEMPORARY: T E M P O R A R Y;
THEN: T H E N;
TIES: T I E S;
TIME: T I M E;
TIMESTAMP: T I M E S T A M P;
TO: T O;
TRAILING: T R A I L I N G;
TRANSACTION: T R A N S A C T I O N;
TRIGGER: T R I G G E R;
TRIM: T R I M;
TRUE_P: T R U E;
TRUNCATE: T R U N C A T E;
TYPE_P: T Y P E;
UNCOMMITTED: U N C O M M I T T E D;
UNBOUNDED: U N B O U N D E D;
UNION: U N I O N;
UNIQUE: U N I Q U E;
UNKNOWN: U N K N O W N;
UNLISTEN: U N L I S T E N;
UNLOGGED: U N L O G G E D;
UPDATE: U P D A T E;
USER: U S E R;
USING: U S I N G;
VACUUM: V A C U U M;
VALUE_P: V A L U E;
VALUES: V A L U E S;
VARCHAR: V A R C H A R;
VARIADIC: V A R I A D I C;
VARYING: V A R Y I N G;
VERBOSE: V E R B O S E;
VIEW: V I E W;
WHEN: W H E N;
WHERE: W H E R E;
WINDOW: W I N D O W;
WITH: W I T H;
WITHIN: W I T H I N;
WITHOUT: W I T H O U T;
WORK: W O R K;
WRITE: W R I T E;
YEAR: Y E A R;
ZONE: Z O N E;

// ---- Operators and punctuation.
SEMI: ';';
COMMA: ',';
DOT: '.';
LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';
TYPECAST: '::';
COLON_EQUALS: ':=';
COLON: ':';
EQUALS_GREATER: '=>';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
CARET: '^';
CONCAT: '||';
EQ: '=';
NE: '<>' | '!=';
LE: '<=';
GE: '>=';
LT: '<';
GT: '>';
// Any other operator (~, !~, @>, &&, <<, ->, user-defined ones ...): kept as text; parser/
// passes it on. As PostgreSQL's lexer, a run of operator characters, cut by CutOperator (which
// also gives the run its own token when it is one of the above: "<=-" is <= then -). A run
// starting with "--" or "/*" is a comment; a single character has its own rule above, which
// wins the tie.
OP: ([~!@#^&|`?+*%<>=] | '-' [~!@#^&|`?+*/%<>=] | '/' [~!@#^&|`?+/%<>=\-]) [~!@#^&|`?+*/%<>=\-]*
    { CutOperator(); };

// ---- Literals and names.
PARAM: '$' DIGIT+;
ICONST: DIGIT+;
FCONST: DIGIT+ '.' DIGIT* EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT;
// PostgreSQL 15's {integer,decimal,real}_junk, realfail and param_junk: a number (or parameter)
// run into an identifier is one token, reported as "trailing junk after numeric literal"
// (parser/parser.cpp); the longest match makes "0.0e+a" the realfail "0.0e+". After
// ICONST and FCONST, which win a tie ("1e5"), as the number rules come first in scan.l.
NUMBER_JUNK: (DIGIT+ | DIGIT+ '.' DIGIT* | '.' DIGIT+ | (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) EXPONENT)
        IDENT_START IDENT_CONT*
    | (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) [eE] [+-];
PARAM_JUNK: '$' DIGIT+ IDENT_START IDENT_CONT*;
// '...': the opening quote, then ConsumeQuotedBody reads the rest (so that
// standard_conforming_strings can decide what a backslash means without a semantic predicate: a
// predicate at the start of a rule keeps ANTLR from caching the lexer's DFA start state, and every
// token of every statement would then pay a full ATN simulation).
STRING: '\'' { ConsumeQuotedBody(); };
ESTRING: [eE] '\'' ( ~[\\'] | '\\' . | '\'\'' )* '\'';
UNTERMINATED_ESTRING: [eE] '\'' ( ~[\\'] | '\\' . | '\'\'' )* '\\'?;
// U&'...' and U&"..." with an optional UESCAPE 'c' (one token, so the decoder sees both).
USTRING: [uU] '&' '\'' ( ~'\'' | '\'\'' )* '\'' UESCAPE_SUFFIX?;
UIDENT: [uU] '&' '"' ( ~'"' | '""' )* '"' UESCAPE_SUFFIX?;
// Bit-string constants B'1010' and X'1F' (PostgreSQL's xb and xh).
BSTRING: [bB] '\'' ~'\''* '\'';
XSTRING: [xX] '\'' ~'\''* '\'';
DOLLAR_STRING: '$' DOLLAR_TAG? '$' { ConsumeDollarBody(); };
IDENT: IDENT_START IDENT_CONT*;
QUOTED_IDENT: '"' ( ~'"' | '""' )* '"';
UNTERMINATED_QUOTED_IDENT: '"' ( ~'"' | '""' )*;

// ---- Skipped.
WHITESPACE: [ \t\r\n\f\u000B]+ -> skip;
LINE_COMMENT: '--' ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' { ConsumeBlockComment(); };

// Anything else: the parser reports it as a syntax error at this character.
ERROR_CHAR: .;

fragment DIGIT: [0-9];
fragment UESCAPE_SUFFIX: [ \t\r\n\f]+ [uU] [eE] [sS] [cC] [aA] [pP] [eE] [ \t\r\n\f]* '\'' ( ~'\'' | '\'\'' )* '\'';
fragment EXPONENT: [eE] [+-]? DIGIT+;
fragment IDENT_START: [a-zA-Z_\u0080-\u{10FFFF}];
fragment IDENT_CONT: [a-zA-Z_0-9$\u0080-\u{10FFFF}];
fragment DOLLAR_TAG: [a-zA-Z_\u0080-\u{10FFFF}] [a-zA-Z_0-9\u0080-\u{10FFFF}]*;

fragment A: [aA];
fragment B: [bB];
fragment C: [cC];
fragment D: [dD];
fragment E: [eE];
fragment F: [fF];
fragment G: [gG];
fragment H: [hH];
fragment I: [iI];
fragment J: [jJ];
fragment K: [kK];
fragment L: [lL];
fragment M: [mM];
fragment N: [nN];
fragment O: [oO];
fragment P: [pP];
fragment Q: [qQ];
fragment R: [rR];
fragment S: [sS];
fragment T: [tT];
fragment U: [uU];
fragment V: [vV];
fragment W: [wW];
fragment X: [xX];
fragment Y: [yY];
fragment Z: [zZ];
