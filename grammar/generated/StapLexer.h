
// Generated from StapLexer.g4 by ANTLR 4.7.2

#pragma once


#include "antlr4-runtime.h"


namespace ktap::grammar {


class  StapLexer : public antlr4::Lexer {
public:
  enum {
    PROBE = 1, GLOBAL = 2, PRIVATE = 3, FUNCTION = 4, IF = 5, ELSE = 6, 
    WHILE = 7, FOR = 8, FOREACH = 9, IN = 10, LIMIT = 11, BREAK = 12, CONTINUE = 13, 
    NEXT = 14, RETURN = 15, DELETE = 16, TRY = 17, CATCH = 18, LONG = 19, 
    STRING_KW = 20, PP_OPEN = 21, PP_THEN = 22, PP_ELSE = 23, PP_CLOSE = 24, 
    EMBEDDED_C = 25, UNTERMINATED_EMBEDDED_C = 26, DOLLAR_ARG = 27, AT_ARG = 28, 
    HIST_LOG = 29, HIST_LINEAR = 30, AT_IDENT = 31, IDENT = 32, NUMBER = 33, 
    BAD_NUMBER = 34, STRING = 35, UNTERMINATED_STRING = 36, SHL3 = 37, SHR3_ASSIGN = 38, 
    SHR3 = 39, SHL_ASSIGN = 40, SHR_ASSIGN = 41, ARROW = 42, INC = 43, DEC = 44, 
    ADD_ASSIGN = 45, SUB_ASSIGN = 46, MUL_ASSIGN = 47, DIV_ASSIGN = 48, 
    MOD_ASSIGN = 49, AND_ASSIGN = 50, OR_ASSIGN = 51, XOR_ASSIGN = 52, CAT_ASSIGN = 53, 
    ANDAND = 54, OROR = 55, EQ = 56, NE = 57, LE = 58, GE = 59, SHL = 60, 
    SHR = 61, MATCH = 62, NOMATCH = 63, ASSIGN = 64, LT = 65, GT = 66, PLUS = 67, 
    MINUS = 68, STAR = 69, SLASH = 70, PERCENT = 71, AMP = 72, PIPE = 73, 
    CARET = 74, TILDE = 75, BANG = 76, QUESTION = 77, COLON = 78, SEMI = 79, 
    COMMA = 80, DOT = 81, LPAREN = 82, RPAREN = 83, LBRACK = 84, RBRACK = 85, 
    LBRACE = 86, RBRACE = 87, LINE_COMMENT = 88, BLOCK_COMMENT = 89, UNTERMINATED_COMMENT = 90, 
    WS = 91, STRAY = 92
  };

  StapLexer(antlr4::CharStream *input);
  ~StapLexer();

  virtual std::string getGrammarFileName() const override;
  virtual const std::vector<std::string>& getRuleNames() const override;

  virtual const std::vector<std::string>& getChannelNames() const override;
  virtual const std::vector<std::string>& getModeNames() const override;
  virtual const std::vector<std::string>& getTokenNames() const override; // deprecated, use vocabulary instead
  virtual antlr4::dfa::Vocabulary& getVocabulary() const override;

  virtual const std::vector<uint16_t> getSerializedATN() const override;
  virtual const antlr4::atn::ATN& getATN() const override;

private:
  static std::vector<antlr4::dfa::DFA> _decisionToDFA;
  static antlr4::atn::PredictionContextCache _sharedContextCache;
  static std::vector<std::string> _ruleNames;
  static std::vector<std::string> _tokenNames;
  static std::vector<std::string> _channelNames;
  static std::vector<std::string> _modeNames;

  static std::vector<std::string> _literalNames;
  static std::vector<std::string> _symbolicNames;
  static antlr4::dfa::Vocabulary _vocabulary;
  static antlr4::atn::ATN _atn;
  static std::vector<uint16_t> _serializedATN;


  // Individual action functions triggered by action() above.

  // Individual semantic predicate functions triggered by sempred() above.

  struct Initializer {
    Initializer();
  };
  static Initializer _init;
};

}  // namespace ktap::grammar
