// PL/pgSQL's tokens (PostgreSQL 15's pl_scanner.c over the core scanner): the language's own
// keywords, and enough of SQL's lexical structure (strings, dollar quotes, quoted identifiers,
// comments, numbers, operators) that the SQL expressions and statements embedded in a body
// are found as token runs; parser/plpgsql_parse.cpp takes their text from the input, and the
// SQL parser reads it. Keywords are case-insensitive; the unreserved ones are also names
// (PlPgSqlParser's `identifier`). Unclosed strings, identifiers and comments become
// UNTERMINATED_* tokens and any stray character ERROR_CHAR, so the lexer never fails.
lexer grammar PlPgSqlLexer;

@lexer::members {
  // Called after an opening tag: consumes the body up to and including the same tag; at end of
  // input the token becomes UNTERMINATED_DOLLAR_STRING.
  void ConsumeDollarBody() {
    const size_t start = getCharIndex();
    const size_t tag_len = start - tokenStartCharIndex;
    std::vector<size_t> tag;
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
        for (size_t i = 0; i < tag_len && match; ++i) {
          match = static_cast<size_t>(_input->LA(static_cast<ssize_t>(i + 1))) == tag[i];
        }
        if (match) {
          for (size_t i = 0; i < tag_len; ++i) _input->consume();
          return;
        }
      }
      _input->consume();
    }
  }

  // Called after "/*": consumes a (nested) block comment; unclosed, it becomes
  // UNTERMINATED_COMMENT.
  void ConsumeBlockComment() {
    int depth = 1;
    for (;;) {
      const size_t c = _input->LA(1);
      if (c == antlr4::Token::EOF) {
        setType(UNTERMINATED_COMMENT);
        return;
      }
      _input->consume();
      if (c == '*' && _input->LA(1) == '/') {
        _input->consume();
        if (--depth == 0) {
          skip();
          return;
        }
      } else if (c == '/' && _input->LA(1) == '*') {
        _input->consume();
        ++depth;
      }
    }
  }
}

tokens { UNTERMINATED_DOLLAR_STRING, UNTERMINATED_COMMENT }

// ---- Skipped (before OP: "/*" and "--" are not operators).
WS: [ \t\r\n\f]+ -> skip;
LINE_COMMENT: '--' ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' { ConsumeBlockComment(); };

// ---- Punctuation (before OP, so that a lone character is this token).
ASSIGN: ':=';
DOTDOT: '..';
TYPECAST: '::';
COLON: ':';
SEMI: ';';
COMMA: ',';
DOT: '.';
LPAREN: '(';
RPAREN: ')';
LBRACKET: '[';
RBRACKET: ']';
LLABEL: '<<';
RLABEL: '>>';
EQ: '=';
// Any other operator: a run of operator characters.
OP: [+\-*/<>=~!@#%^&|`?]+;

// ---- Keywords (PL/pgSQL's reserved ones first, then the unreserved ones it needs).
ALL: A L L;
BEGIN: B E G I N;
BY: B Y;
CASE: C A S E;
DECLARE: D E C L A R E;
ELSE: E L S E;
END: E N D;
EXECUTE: E X E C U T E;
FOR: F O R;
FOREACH: F O R E A C H;
FROM: F R O M;
IF: I F;
IN: I N;
INTO: I N T O;
LOOP: L O O P;
NOT: N O T;
NULL_P: N U L L;
OR: O R;
STRICT: S T R I C T;
THEN: T H E N;
TO: T O;
USING: U S I N G;
WHEN: W H E N;
WHILE: W H I L E;

ALIAS: A L I A S;
ARRAY: A R R A Y;
ASSERT: A S S E R T;
CLOSE: C L O S E;
COLLATE: C O L L A T E;
COMMIT: C O M M I T;
CONSTANT: C O N S T A N T;
CONTINUE: C O N T I N U E;
CURRENT: C U R R E N T;
CURSOR: C U R S O R;
DEFAULT: D E F A U L T;
DIAGNOSTICS: D I A G N O S T I C S;
ELSIF: E L S I F | E L S E I F;
EXCEPTION: E X C E P T I O N;
EXIT: E X I T;
FETCH: F E T C H;
GET: G E T;
MOVE: M O V E;
NEXT: N E X T;
OPEN: O P E N;
PERFORM: P E R F O R M;
QUERY: Q U E R Y;
RAISE: R A I S E;
RETURN: R E T U R N;
REVERSE: R E V E R S E;
ROLLBACK: R O L L B A C K;
SLICE: S L I C E;
SQLSTATE: S Q L S T A T E;
STACKED: S T A C K E D;

// ---- Literals and names.
PARAM: '$' DIGIT+;
ICONST: DIGIT+;
// No "1." form: `1..10` is a range (the text handed to SQL is taken from the input anyway).
FCONST: DIGIT+ '.' DIGIT+ EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT;
STRING: '\'' ( ~'\'' | '\'\'' )* '\'';
ESTRING: [eE] '\'' ( ~[\\'] | '\\' . | '\'\'' )* '\'';
BSTRING: [bBxXnN] '\'' ( ~'\'' | '\'\'' )* '\'';
UNTERMINATED_STRING: [eEbBxXnN]? '\'' ( ~[\\'] | '\\' . | '\'\'' )*;
DOLLAR_STRING: '$' DOLLAR_TAG? '$' { ConsumeDollarBody(); };
IDENT: IDENT_START IDENT_CONT*;
QUOTED_IDENT: '"' ( ~'"' | '""' )* '"';
UNTERMINATED_QUOTED_IDENT: '"' ( ~'"' | '""' )*;


ERROR_CHAR: .;

fragment DIGIT: [0-9];
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
