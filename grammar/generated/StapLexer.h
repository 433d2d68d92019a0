
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
    STRING = 34, UNTERMINATED_STRING = 35, SHL3 = 36, SHR3_ASSIGN = 37, 
    SHR3 = 38, SHL_ASSIGN = 39, SHR_ASSIGN = 40, ARROW = 41, INC = 42, DEC = 43, 
    ADD_ASSIGN = 44, SUB_ASSIGN = 45, MUL_ASSIGN = 46, DIV_ASSIGN = 47, 
    MOD_ASSIGN = 48, AND_ASSIGN = 49, OR_ASSIGN = 50, XOR_ASSIGN = 51, CAT_ASSIGN = 52, 
    ANDAND = 53, OROR = 54, EQ = 55, NE = 56, LE = 57, GE = 58, SHL = 59, 
    SHR = 60, MATCH = 61, NOMATCH = 62, ASSIGN = 63, LT = 64, GT = 65, PLUS = 66, 
    MINUS = 67, STAR = 68, SLASH = 69, PERCENT = 70, AMP = 71, PIPE = 72, 
    CARET = 73, TILDE = 74, BANG = 75, QUESTION = 76, COLON = 77, SEMI = 78, 
    COMMA = 79, DOT = 80, LPAREN = 81, RPAREN = 82, LBRACK = 83, RBRACK = 84, 
    LBRACE = 85, RBRACE = 86, LINE_COMMENT = 87, BLOCK_COMMENT = 88, UNTERMINATED_COMMENT = 89, 
    WS = 90, STRAY = 91
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
