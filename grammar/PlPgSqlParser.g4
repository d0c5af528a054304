// PL/pgSQL (PostgreSQL 15's pl_gram.y): blocks, declarations and the procedural statements. The
// SQL expressions and statements inside are token runs (PostgreSQL's read_sql_construct: up to
// a terminator at parenthesis depth 0) whose text parser/plpgsql_parse.cpp hands to the SQL
// parser; `SELECT ... INTO` is found there too. Unsupported statements (cursors, COMMIT) are
// matched so that the walker can answer 0A000 rather than a syntax error.
parser grammar PlPgSqlParser;

options { tokenVocab = PlPgSqlLexer; }

functionBody: block SEMI? EOF;

block
  : label? (DECLARE declaration*)? BEGIN statement* exceptionSection? END identifier?
  ;

label: LLABEL identifier RLABEL;

declaration
  : DECLARE                                                            # declRepeat
  | identifier ALIAS FOR (PARAM | identifier) SEMI                     # declAlias
  | identifier typeToken* CURSOR ~SEMI* SEMI                           # declCursor
  | identifier CONSTANT? declType (COLLATE typeToken)? (NOT NULL_P)?
      ((DEFAULT | ASSIGN | EQ) exprSemi)? SEMI                         # declVar
  ;

declType: typeToken+;
typeToken
  : LPAREN inner RPAREN
  | ~(SEMI | ASSIGN | EQ | DEFAULT | NOT | COLLATE | CONSTANT | ALIAS | CURSOR | LPAREN | RPAREN)
  ;

statement
  : block SEMI                                                          # stmtBlock
  | assignTarget (ASSIGN | EQ) exprSemi SEMI                            # stmtAssign
  | IF exprThen THEN statement* elsifPart* elsePart? END IF SEMI        # stmtIf
  | CASE exprWhen? caseWhen+ elsePart? END CASE SEMI                    # stmtCase
  | label? LOOP statement* END LOOP identifier? SEMI                    # stmtLoop
  | label? WHILE exprLoop LOOP statement* END LOOP identifier? SEMI     # stmtWhile
  | label? FOR assignTarget (COMMA assignTarget)* IN forSource LOOP statement* END LOOP
      identifier? SEMI                                                  # stmtFor
  | label? FOREACH assignTarget (COMMA assignTarget)* (SLICE ICONST)? IN ARRAY exprLoop LOOP
      statement* END LOOP identifier? SEMI                              # stmtForeach
  | (EXIT | CONTINUE) identifier? (WHEN exprSemi)? SEMI                 # stmtExit
  | RETURN NEXT exprSemi? SEMI                                          # stmtReturnNext
  | RETURN QUERY (EXECUTE exprExec usingClause? | exprSemi) SEMI        # stmtReturnQuery
  | RETURN exprSemi? SEMI                                               # stmtReturn
  | PERFORM exprSemi SEMI                                               # stmtPerform
  | RAISE (level = raiseWord)? (condition = raiseWord | SQLSTATE STRING)?
      (format = (STRING | ESTRING | DOLLAR_STRING) (COMMA exprArg)*)? (USING raiseOption (COMMA raiseOption)*)? SEMI
                                                                        # stmtRaise
  | ASSERT exprArg (COMMA exprSemi)? SEMI                               # stmtAssert
  | GET (CURRENT | STACKED)? DIAGNOSTICS diagItem (COMMA diagItem)* SEMI # stmtGetDiag
  | EXECUTE exprExec (intoClause | usingClause)* SEMI                   # stmtExecute
  | NULL_P SEMI                                                         # stmtNull
  | (OPEN | FETCH | MOVE | CLOSE | COMMIT | ROLLBACK) ~SEMI* SEMI       # stmtUnsupported
  | IDENT ~SEMI* SEMI                                                   # stmtSql
  ;

elsifPart: ELSIF exprThen THEN statement*;
elsePart: ELSE statement*;
caseWhen: WHEN exprThen THEN statement*;

forSource
  : REVERSE? exprDotdot DOTDOT exprBy (BY exprLoop)?                   # forRange
  | EXECUTE exprExecLoop (USING exprArgLoop (COMMA exprArgLoop)*)?     # forExecute
  | exprLoop                                                           # forQuery
  ;

intoClause: INTO STRICT? assignTarget (COMMA assignTarget)*;
usingClause: USING exprArg (COMMA exprArg)*;

raiseWord: identifier | EXCEPTION;
raiseOption: identifier (EQ | ASSIGN) exprArg;
diagItem: assignTarget (EQ | ASSIGN) identifier;

exceptionSection: EXCEPTION handler+;
handler: WHEN handlerCondition (OR handlerCondition)* THEN statement*;
handlerCondition: SQLSTATE STRING | identifier;

assignTarget: identifier (DOT identifier)* (LBRACKET inner RBRACKET)*;

// ---- SQL token runs, each up to its terminators at parenthesis depth 0.
group: LPAREN inner RPAREN | LBRACKET inner RBRACKET;
inner: (group | ~(LPAREN | RPAREN | LBRACKET | RBRACKET))*;
exprSemi: (group | ~(SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprThen: (group | ~(THEN | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprWhen: (group | ~(WHEN | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprLoop: (group | ~(LOOP | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprDotdot: (group | ~(DOTDOT | LOOP | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprBy: (group | ~(BY | LOOP | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprArg: (group | ~(COMMA | USING | INTO | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprExec: (group | ~(INTO | USING | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprExecLoop: (group | ~(USING | LOOP | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;
exprArgLoop: (group | ~(COMMA | LOOP | SEMI | LPAREN | RPAREN | LBRACKET | RBRACKET))+;

identifier
  : IDENT | QUOTED_IDENT
  | ALIAS | ARRAY | ASSERT | CLOSE | COLLATE | COMMIT | CONSTANT | CONTINUE | CURRENT | CURSOR
  | DEFAULT | DIAGNOSTICS | EXIT | FETCH | GET | MOVE | NEXT | OPEN | PERFORM | QUERY | RAISE
  | RETURN | REVERSE | ROLLBACK | SLICE | SQLSTATE | STACKED
  ;
