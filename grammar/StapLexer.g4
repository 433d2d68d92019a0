// Lexer for the SystemTap probe language as ktap accepts it (docs/language.md).
// The preprocessor (compiler/preprocessor.cpp) runs on this token stream before parsing,
// so conditional and macro tokens are ordinary tokens here.
lexer grammar StapLexer;

// Keywords. Probe-point components may reuse them (`.return`, `.function`): the parser
// allows keywords as component names.
PROBE: 'probe';
GLOBAL: 'global';
PRIVATE: 'private';
FUNCTION: 'function';
IF: 'if';
ELSE: 'else';
WHILE: 'while';
FOR: 'for';
FOREACH: 'foreach';
IN: 'in';
LIMIT: 'limit';
BREAK: 'break';
CONTINUE: 'continue';
NEXT: 'next';
RETURN: 'return';
DELETE: 'delete';
TRY: 'try';
CATCH: 'catch';
LONG: 'long';
STRING_KW: 'string';

// Preprocessor and embedded C.
PP_OPEN: '%(';
PP_THEN: '%?';
PP_ELSE: '%:';
PP_CLOSE: '%)';
EMBEDDED_C: '%{' .*? '%}';
// Never extends past a '%}', so it only wins when the block really is unterminated.
UNTERMINATED_EMBEDDED_C: '%{' ( ~[%] | '%'+ ~[%}] )* '%'* EOF;

// Script arguments: $1 is pasted as tokens, @1 as a string; $# and @# count them.
DOLLAR_ARG: '$' [0-9]+ | '$#';
AT_ARG: '@' [0-9]+ | '@#';
// Histogram operators get their own tokens because `foreach` can iterate their buckets.
HIST_LOG: '@hist_log';
HIST_LINEAR: '@hist_linear';
// @entry, @cast, @count, @define and macro uses.
AT_IDENT: '@' [A-Za-z_] [A-Za-z0-9_]*;
// A leading $ makes a target variable; $var$ and $var$$ are pretty-printing forms.
IDENT: [A-Za-z_$] [A-Za-z0-9_$]*;

NUMBER: '0' [xX] [0-9a-fA-F]+ | [0-9]+;
// Digits run into letters (`10L`, `0x`, `1st`): one bad token, reported by the front end, rather
// than a number and an identifier that optional semicolons would silently accept.
BAD_NUMBER: [0-9] [0-9a-zA-Z_]*;
STRING: '"' ( '\\' . | ~["\\\r\n] )* '"';
UNTERMINATED_STRING: '"' ( '\\' . | ~["\\\r\n] )*;

// Operators, longest first where prefixes overlap.
SHL3: '<<<';
SHR3_ASSIGN: '>>>=';
SHR3: '>>>';
SHL_ASSIGN: '<<=';
SHR_ASSIGN: '>>=';
ARROW: '->';
INC: '++';
DEC: '--';
ADD_ASSIGN: '+=';
SUB_ASSIGN: '-=';
MUL_ASSIGN: '*=';
DIV_ASSIGN: '/=';
MOD_ASSIGN: '%=';
AND_ASSIGN: '&=';
OR_ASSIGN: '|=';
XOR_ASSIGN: '^=';
CAT_ASSIGN: '.=';
ANDAND: '&&';
OROR: '||';
EQ: '==';
NE: '!=';
LE: '<=';
GE: '>=';
SHL: '<<';
SHR: '>>';
MATCH: '=~';
NOMATCH: '!~';
ASSIGN: '=';
LT: '<';
GT: '>';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
AMP: '&';
PIPE: '|';
CARET: '^';
TILDE: '~';
BANG: '!';
QUESTION: '?';
COLON: ':';
SEMI: ';';
COMMA: ',';
DOT: '.';
LPAREN: '(';
RPAREN: ')';
LBRACK: '[';
RBRACK: ']';
LBRACE: '{';
RBRACE: '}';

LINE_COMMENT: ('#' | '//') ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' .*? '*/' -> skip;
// Never extends past a '*/' (ANTLR takes the longest match), so only a real unterminated
// comment matches it.
UNTERMINATED_COMMENT: '/*' ( ~[*] | '*'+ ~[*/] )* '*'* EOF;
WS: [ \t\r\n\f]+ -> skip;

// Anything else is reported by the front end as a stray character.
STRAY: .;
