// Parser for the SystemTap probe language (after preprocessing). The AST builder
// (compiler/ast_builder.cpp) is the only code that sees these contexts.
parser grammar StapParser;
options { tokenVocab = StapLexer; }

script: topItem* EOF;

topItem
    : globalDecl
    | functionDecl
    | probeDecl
    | embeddedC
    | SEMI
    ;

embeddedC: EMBEDDED_C;

globalDecl
    : PRIVATE? GLOBAL globalVar (COMMA globalVar)* SEMI?
    | PRIVATE globalVar (COMMA globalVar)* SEMI?
    ;

globalVar
    : IDENT wrap1=PERCENT? (LBRACK size=NUMBER RBRACK)? wrap2=PERCENT? (ASSIGN literal)?
    ;

literal: MINUS? NUMBER | STRING+;

functionDecl
    : PRIVATE? FUNCTION name=IDENT (COLON typeName)? LPAREN (param (COMMA param)*)? RPAREN
      (COLON priority=signedNumber)? (block | EMBEDDED_C)
    ;

param: IDENT (COLON typeName)?;
typeName: LONG | STRING_KW;
signedNumber: MINUS? NUMBER;

// One alternative for probes and aliases: no long lookahead to choose between them, so a
// syntax error is reported at the first token that cannot continue the header.
// `probe a1 = a2 = POINT { }` defines several alias names, as in stap's parse_probe.
probeDecl
    : PROBE probePoints (aliasOp probePoints)* block (COMMA block)?
    ;

aliasOp: ASSIGN | ADD_ASSIGN;

probePoints: probePoint (COMMA probePoint)*;

probePoint: ppComponent (DOT ppComponent)* ppFlag* (IF LPAREN expr RPAREN)?;

ppFlag: QUESTION | BANG;

ppComponent
    : ppName (LPAREN ppParam RPAREN)?
    | LBRACE probePointSeq (COMMA probePointSeq)* RBRACE
    ;

probePointSeq: ppComponent (DOT ppComponent)*;

// Parts of one component name must touch (`sys**open`), so `begin if (...)` is not one name.
// `if` may name a whole component (`foo.if`), but never continues one: after a component it
// starts the probe condition.
ppName: (ppNamePart | IF) ({ _input->LT(1)->getStartIndex() == _input->LT(-1)->getStopIndex() + 1 }? ppNamePart)*;
ppNamePart: IDENT | STAR | keyword;

ppParam: ppLiteral | LBRACE ppLiteral (COMMA ppLiteral)* RBRACE;
ppLiteral: MINUS? NUMBER | STRING+;

// Keywords usable as probe-point components (`.return`, `.function`). Not `if`: it starts the
// probe condition.
keyword
    : PROBE | GLOBAL | PRIVATE | FUNCTION | ELSE | WHILE | FOR | FOREACH | IN | LIMIT
    | BREAK | CONTINUE | NEXT | RETURN | DELETE | TRY | CATCH | LONG | STRING_KW
    ;

block: LBRACE statement* RBRACE;

statement
    : block                                                              # blockStmt
    | SEMI                                                               # nullStmt
    | IF LPAREN expr RPAREN statement (ELSE statement)?                  # ifStmt
    | WHILE LPAREN expr RPAREN statement                                 # whileStmt
    | FOR LPAREN init=expr? SEMI cond=expr? SEMI step=expr? RPAREN statement  # forStmt
    | FOREACH LPAREN foreachHead RPAREN statement                        # foreachStmt
    | BREAK SEMI?                                                        # breakStmt
    | CONTINUE SEMI?                                                     # continueStmt
    | NEXT SEMI?                                                         # nextStmt
    | RETURN expr? SEMI?                                                 # returnStmt
    | DELETE expr SEMI?                                                  # deleteStmt
    | TRY block CATCH (LPAREN IDENT RPAREN)? block                       # tryStmt
    | embeddedC                                                          # embeddedStmt
    | expr SEMI?                                                         # exprStmt
    ;

foreachHead
    : (value=IDENT valueSort=sortMark? ASSIGN)? foreachKeys IN foreachSource
      aggSort=AT_IDENT? arraySort=sortMark? (LIMIT limitExpr=expr)?
    ;

foreachKeys
    : foreachKey
    | LBRACK foreachKey (COMMA foreachKey)* RBRACK
    ;

foreachKey: IDENT sortMark?;
sortMark: PLUS | MINUS;

foreachSource
    : IDENT (LBRACK sliceKey (COMMA sliceKey)* RBRACK)?
    | histogramOp
    ;

sliceKey: STAR | expr;

// Precedence climbs from assignment (lowest) to postfix (highest), as in stap's parse.cxx.
expr: assignment;

// One alternative with an optional tail: the ternary's false branch is a full expression, so
// `c ? a : b = 1` must keep `b = 1` inside it (two alternatives sharing the ternary prefix would
// be ambiguous).
assignment
    : ternary (op=(ASSIGN | ADD_ASSIGN | SUB_ASSIGN | MUL_ASSIGN | DIV_ASSIGN | MOD_ASSIGN
        | SHL_ASSIGN | SHR_ASSIGN | SHR3_ASSIGN | AND_ASSIGN | OR_ASSIGN | XOR_ASSIGN
        | CAT_ASSIGN | SHL3) assignment)?
    ;

// As in stap's parse_ternary, both branches are full expressions: `c ? a : b = 1` assigns b.
ternary: logicalOr (QUESTION expr COLON expr)?;
logicalOr: logicalAnd (OROR logicalAnd)*;
logicalAnd: bitOr (ANDAND bitOr)*;
bitOr: bitXor (PIPE bitXor)*;
bitXor: bitAnd (CARET bitAnd)*;
bitAnd: arrayIn (AMP arrayIn)*;

arrayIn
    : comparison (IN IDENT)?
    | LBRACK inKey (COMMA inKey)* RBRACK IN IDENT
    ;
inKey: STAR | expr;
indexKey: STAR | expr;

comparison: shift (op=(LT | GT | LE | GE | EQ | NE | MATCH | NOMATCH) shift)*;
shift: concat (op=(SHL | SHR | SHR3) concat)*;
concat: additive (DOT additive)*;
additive: multiplicative (op=(PLUS | MINUS) multiplicative)*;
multiplicative: unary (op=(STAR | SLASH | PERCENT) unary)*;

unary
    : op=(PLUS | MINUS | BANG | TILDE | AMP) unary
    | op=(INC | DEC) unary
    | postfix
    ;

postfix: primary op=(INC | DEC)?;

primary
    : NUMBER                                                        # numberExpr
    | STRING+                                                       # stringExpr
    | LPAREN expr RPAREN                                            # parenExpr
    | IDENT LPAREN (expr (COMMA expr)*)? RPAREN                     # callExpr
    | IDENT (LBRACK indexKey (COMMA indexKey)* RBRACK)? targetSuffix*  # identExpr
    | histogramOp (LBRACK expr RBRACK)?                             # histogramExpr
    | AT_IDENT LPAREN (expr (COMMA expr)*)? RPAREN targetSuffix*    # atCallExpr
    ;

histogramOp: hist=(HIST_LOG | HIST_LINEAR) LPAREN expr (COMMA expr)* RPAREN;

targetSuffix
    : ARROW memberName
    | LBRACK expr RBRACK
    ;

// C members may be named like stap keywords (`next`, `in`, `long`...).
memberName
    : IDENT | PROBE | GLOBAL | PRIVATE | FUNCTION | IF | ELSE | WHILE | FOR | FOREACH | IN
    | LIMIT | BREAK | CONTINUE | NEXT | RETURN | DELETE | TRY | CATCH | LONG | STRING_KW
    ;
