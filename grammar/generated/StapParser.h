
// Generated from StapParser.g4 by ANTLR 4.7.2

#pragma once


#include "antlr4-runtime.h"


namespace ktap::grammar {


class  StapParser : public antlr4::Parser {
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

  enum {
    RuleScript = 0, RuleTopItem = 1, RuleEmbeddedC = 2, RuleGlobalDecl = 3, 
    RuleGlobalVar = 4, RuleLiteral = 5, RuleFunctionDecl = 6, RuleParam = 7, 
    RuleTypeName = 8, RuleSignedNumber = 9, RuleProbeDecl = 10, RuleAliasOp = 11, 
    RuleProbePoints = 12, RuleProbePoint = 13, RulePpFlag = 14, RulePpComponent = 15, 
    RuleProbePointSeq = 16, RulePpName = 17, RulePpNamePart = 18, RulePpParam = 19, 
    RulePpLiteral = 20, RuleKeyword = 21, RuleBlock = 22, RuleStatement = 23, 
    RuleForeachHead = 24, RuleForeachKeys = 25, RuleForeachKey = 26, RuleSortMark = 27, 
    RuleForeachSource = 28, RuleSliceKey = 29, RuleExpr = 30, RuleAssignment = 31, 
    RuleTernary = 32, RuleLogicalOr = 33, RuleLogicalAnd = 34, RuleBitOr = 35, 
    RuleBitXor = 36, RuleBitAnd = 37, RuleArrayIn = 38, RuleInKey = 39, 
    RuleIndexKey = 40, RuleComparison = 41, RuleShift = 42, RuleConcat = 43, 
    RuleAdditive = 44, RuleMultiplicative = 45, RuleUnary = 46, RulePostfix = 47, 
    RulePrimary = 48, RuleHistogramOp = 49, RuleTargetSuffix = 50, RuleMemberName = 51
  };

  StapParser(antlr4::TokenStream *input);
  ~StapParser();

  virtual std::string getGrammarFileName() const override;
  virtual const antlr4::atn::ATN& getATN() const override { return _atn; };
  virtual const std::vector<std::string>& getTokenNames() const override { return _tokenNames; }; // deprecated: use vocabulary instead.
  virtual const std::vector<std::string>& getRuleNames() const override;
  virtual antlr4::dfa::Vocabulary& getVocabulary() const override;


  class ScriptContext;
  class TopItemContext;
  class EmbeddedCContext;
  class GlobalDeclContext;
  class GlobalVarContext;
  class LiteralContext;
  class FunctionDeclContext;
  class ParamContext;
  class TypeNameContext;
  class SignedNumberContext;
  class ProbeDeclContext;
  class AliasOpContext;
  class ProbePointsContext;
  class ProbePointContext;
  class PpFlagContext;
  class PpComponentContext;
  class ProbePointSeqContext;
  class PpNameContext;
  class PpNamePartContext;
  class PpParamContext;
  class PpLiteralContext;
  class KeywordContext;
  class BlockContext;
  class StatementContext;
  class ForeachHeadContext;
  class ForeachKeysContext;
  class ForeachKeyContext;
  class SortMarkContext;
  class ForeachSourceContext;
  class SliceKeyContext;
  class ExprContext;
  class AssignmentContext;
  class TernaryContext;
  class LogicalOrContext;
  class LogicalAndContext;
  class BitOrContext;
  class BitXorContext;
  class BitAndContext;
  class ArrayInContext;
  class InKeyContext;
  class IndexKeyContext;
  class ComparisonContext;
  class ShiftContext;
  class ConcatContext;
  class AdditiveContext;
  class MultiplicativeContext;
  class UnaryContext;
  class PostfixContext;
  class PrimaryContext;
  class HistogramOpContext;
  class TargetSuffixContext;
  class MemberNameContext; 

  class  ScriptContext : public antlr4::ParserRuleContext {
  public:
    ScriptContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *EOF();
    std::vector<TopItemContext *> topItem();
    TopItemContext* topItem(size_t i);

   
  };

  ScriptContext* script();

  class  TopItemContext : public antlr4::ParserRuleContext {
  public:
    TopItemContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    GlobalDeclContext *globalDecl();
    FunctionDeclContext *functionDecl();
    ProbeDeclContext *probeDecl();
    EmbeddedCContext *embeddedC();
    antlr4::tree::TerminalNode *SEMI();

   
  };

  TopItemContext* topItem();

  class  EmbeddedCContext : public antlr4::ParserRuleContext {
  public:
    EmbeddedCContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *EMBEDDED_C();

   
  };

  EmbeddedCContext* embeddedC();

  class  GlobalDeclContext : public antlr4::ParserRuleContext {
  public:
    GlobalDeclContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *GLOBAL();
    std::vector<GlobalVarContext *> globalVar();
    GlobalVarContext* globalVar(size_t i);
    antlr4::tree::TerminalNode *PRIVATE();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);
    antlr4::tree::TerminalNode *SEMI();

   
  };

  GlobalDeclContext* globalDecl();

  class  GlobalVarContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *wrap1 = nullptr;;
    antlr4::Token *size = nullptr;;
    antlr4::Token *wrap2 = nullptr;;
    GlobalVarContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *LBRACK();
    antlr4::tree::TerminalNode *RBRACK();
    antlr4::tree::TerminalNode *ASSIGN();
    LiteralContext *literal();
    std::vector<antlr4::tree::TerminalNode *> PERCENT();
    antlr4::tree::TerminalNode* PERCENT(size_t i);
    antlr4::tree::TerminalNode *NUMBER();

   
  };

  GlobalVarContext* globalVar();

  class  LiteralContext : public antlr4::ParserRuleContext {
  public:
    LiteralContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *NUMBER();
    antlr4::tree::TerminalNode *MINUS();
    std::vector<antlr4::tree::TerminalNode *> STRING();
    antlr4::tree::TerminalNode* STRING(size_t i);

   
  };

  LiteralContext* literal();

  class  FunctionDeclContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *name = nullptr;;
    StapParser::SignedNumberContext *priority = nullptr;;
    FunctionDeclContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *FUNCTION();
    antlr4::tree::TerminalNode *LPAREN();
    antlr4::tree::TerminalNode *RPAREN();
    antlr4::tree::TerminalNode *IDENT();
    BlockContext *block();
    antlr4::tree::TerminalNode *EMBEDDED_C();
    antlr4::tree::TerminalNode *PRIVATE();
    std::vector<antlr4::tree::TerminalNode *> COLON();
    antlr4::tree::TerminalNode* COLON(size_t i);
    TypeNameContext *typeName();
    std::vector<ParamContext *> param();
    ParamContext* param(size_t i);
    SignedNumberContext *signedNumber();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  FunctionDeclContext* functionDecl();

  class  ParamContext : public antlr4::ParserRuleContext {
  public:
    ParamContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *COLON();
    TypeNameContext *typeName();

   
  };

  ParamContext* param();

  class  TypeNameContext : public antlr4::ParserRuleContext {
  public:
    TypeNameContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *LONG();
    antlr4::tree::TerminalNode *STRING_KW();

   
  };

  TypeNameContext* typeName();

  class  SignedNumberContext : public antlr4::ParserRuleContext {
  public:
    SignedNumberContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *NUMBER();
    antlr4::tree::TerminalNode *MINUS();

   
  };

  SignedNumberContext* signedNumber();

  class  ProbeDeclContext : public antlr4::ParserRuleContext {
  public:
    ProbeDeclContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *PROBE();
    std::vector<ProbePointsContext *> probePoints();
    ProbePointsContext* probePoints(size_t i);
    std::vector<BlockContext *> block();
    BlockContext* block(size_t i);
    std::vector<AliasOpContext *> aliasOp();
    AliasOpContext* aliasOp(size_t i);
    antlr4::tree::TerminalNode *COMMA();

   
  };

  ProbeDeclContext* probeDecl();

  class  AliasOpContext : public antlr4::ParserRuleContext {
  public:
    AliasOpContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *ASSIGN();
    antlr4::tree::TerminalNode *ADD_ASSIGN();

   
  };

  AliasOpContext* aliasOp();

  class  ProbePointsContext : public antlr4::ParserRuleContext {
  public:
    ProbePointsContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<ProbePointContext *> probePoint();
    ProbePointContext* probePoint(size_t i);
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  ProbePointsContext* probePoints();

  class  ProbePointContext : public antlr4::ParserRuleContext {
  public:
    ProbePointContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<PpComponentContext *> ppComponent();
    PpComponentContext* ppComponent(size_t i);
    std::vector<antlr4::tree::TerminalNode *> DOT();
    antlr4::tree::TerminalNode* DOT(size_t i);
    std::vector<PpFlagContext *> ppFlag();
    PpFlagContext* ppFlag(size_t i);
    antlr4::tree::TerminalNode *IF();
    antlr4::tree::TerminalNode *LPAREN();
    ExprContext *expr();
    antlr4::tree::TerminalNode *RPAREN();

   
  };

  ProbePointContext* probePoint();

  class  PpFlagContext : public antlr4::ParserRuleContext {
  public:
    PpFlagContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *QUESTION();
    antlr4::tree::TerminalNode *BANG();

   
  };

  PpFlagContext* ppFlag();

  class  PpComponentContext : public antlr4::ParserRuleContext {
  public:
    PpComponentContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    PpNameContext *ppName();
    antlr4::tree::TerminalNode *LPAREN();
    PpParamContext *ppParam();
    antlr4::tree::TerminalNode *RPAREN();
    antlr4::tree::TerminalNode *LBRACE();
    std::vector<ProbePointSeqContext *> probePointSeq();
    ProbePointSeqContext* probePointSeq(size_t i);
    antlr4::tree::TerminalNode *RBRACE();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  PpComponentContext* ppComponent();

  class  ProbePointSeqContext : public antlr4::ParserRuleContext {
  public:
    ProbePointSeqContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<PpComponentContext *> ppComponent();
    PpComponentContext* ppComponent(size_t i);
    std::vector<antlr4::tree::TerminalNode *> DOT();
    antlr4::tree::TerminalNode* DOT(size_t i);

   
  };

  ProbePointSeqContext* probePointSeq();

  class  PpNameContext : public antlr4::ParserRuleContext {
  public:
    PpNameContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<PpNamePartContext *> ppNamePart();
    PpNamePartContext* ppNamePart(size_t i);
    antlr4::tree::TerminalNode *IF();

   
  };

  PpNameContext* ppName();

  class  PpNamePartContext : public antlr4::ParserRuleContext {
  public:
    PpNamePartContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *STAR();
    KeywordContext *keyword();

   
  };

  PpNamePartContext* ppNamePart();

  class  PpParamContext : public antlr4::ParserRuleContext {
  public:
    PpParamContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<PpLiteralContext *> ppLiteral();
    PpLiteralContext* ppLiteral(size_t i);
    antlr4::tree::TerminalNode *LBRACE();
    antlr4::tree::TerminalNode *RBRACE();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  PpParamContext* ppParam();

  class  PpLiteralContext : public antlr4::ParserRuleContext {
  public:
    PpLiteralContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *NUMBER();
    antlr4::tree::TerminalNode *MINUS();
    std::vector<antlr4::tree::TerminalNode *> STRING();
    antlr4::tree::TerminalNode* STRING(size_t i);

   
  };

  PpLiteralContext* ppLiteral();

  class  KeywordContext : public antlr4::ParserRuleContext {
  public:
    KeywordContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *PROBE();
    antlr4::tree::TerminalNode *GLOBAL();
    antlr4::tree::TerminalNode *PRIVATE();
    antlr4::tree::TerminalNode *FUNCTION();
    antlr4::tree::TerminalNode *ELSE();
    antlr4::tree::TerminalNode *WHILE();
    antlr4::tree::TerminalNode *FOR();
    antlr4::tree::TerminalNode *FOREACH();
    antlr4::tree::TerminalNode *IN();
    antlr4::tree::TerminalNode *LIMIT();
    antlr4::tree::TerminalNode *BREAK();
    antlr4::tree::TerminalNode *CONTINUE();
    antlr4::tree::TerminalNode *NEXT();
    antlr4::tree::TerminalNode *RETURN();
    antlr4::tree::TerminalNode *DELETE();
    antlr4::tree::TerminalNode *TRY();
    antlr4::tree::TerminalNode *CATCH();
    antlr4::tree::TerminalNode *LONG();
    antlr4::tree::TerminalNode *STRING_KW();

   
  };

  KeywordContext* keyword();

  class  BlockContext : public antlr4::ParserRuleContext {
  public:
    BlockContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *LBRACE();
    antlr4::tree::TerminalNode *RBRACE();
    std::vector<StatementContext *> statement();
    StatementContext* statement(size_t i);

   
  };

  BlockContext* block();

  class  StatementContext : public antlr4::ParserRuleContext {
  public:
    StatementContext(antlr4::ParserRuleContext *parent, size_t invokingState);
   
    StatementContext() = default;
    void copyFrom(StatementContext *context);
    using antlr4::ParserRuleContext::copyFrom;

    virtual size_t getRuleIndex() const override;

   
  };

  class  ForStmtContext : public StatementContext {
  public:
    ForStmtContext(StatementContext *ctx);

    StapParser::ExprContext *init = nullptr;
    StapParser::ExprContext *cond = nullptr;
    StapParser::ExprContext *step = nullptr;
    antlr4::tree::TerminalNode *FOR();
    antlr4::tree::TerminalNode *LPAREN();
    std::vector<antlr4::tree::TerminalNode *> SEMI();
    antlr4::tree::TerminalNode* SEMI(size_t i);
    antlr4::tree::TerminalNode *RPAREN();
    StatementContext *statement();
    std::vector<ExprContext *> expr();
    ExprContext* expr(size_t i);
  };

  class  WhileStmtContext : public StatementContext {
  public:
    WhileStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *WHILE();
    antlr4::tree::TerminalNode *LPAREN();
    ExprContext *expr();
    antlr4::tree::TerminalNode *RPAREN();
    StatementContext *statement();
  };

  class  ForeachStmtContext : public StatementContext {
  public:
    ForeachStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *FOREACH();
    antlr4::tree::TerminalNode *LPAREN();
    ForeachHeadContext *foreachHead();
    antlr4::tree::TerminalNode *RPAREN();
    StatementContext *statement();
  };

  class  TryStmtContext : public StatementContext {
  public:
    TryStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *TRY();
    std::vector<BlockContext *> block();
    BlockContext* block(size_t i);
    antlr4::tree::TerminalNode *CATCH();
    antlr4::tree::TerminalNode *LPAREN();
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *RPAREN();
  };

  class  EmbeddedStmtContext : public StatementContext {
  public:
    EmbeddedStmtContext(StatementContext *ctx);

    EmbeddedCContext *embeddedC();
  };

  class  ReturnStmtContext : public StatementContext {
  public:
    ReturnStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *RETURN();
    ExprContext *expr();
    antlr4::tree::TerminalNode *SEMI();
  };

  class  NullStmtContext : public StatementContext {
  public:
    NullStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *SEMI();
  };

  class  ExprStmtContext : public StatementContext {
  public:
    ExprStmtContext(StatementContext *ctx);

    ExprContext *expr();
    antlr4::tree::TerminalNode *SEMI();
  };

  class  IfStmtContext : public StatementContext {
  public:
    IfStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *IF();
    antlr4::tree::TerminalNode *LPAREN();
    ExprContext *expr();
    antlr4::tree::TerminalNode *RPAREN();
    std::vector<StatementContext *> statement();
    StatementContext* statement(size_t i);
    antlr4::tree::TerminalNode *ELSE();
  };

  class  BlockStmtContext : public StatementContext {
  public:
    BlockStmtContext(StatementContext *ctx);

    BlockContext *block();
  };

  class  BreakStmtContext : public StatementContext {
  public:
    BreakStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *BREAK();
    antlr4::tree::TerminalNode *SEMI();
  };

  class  ContinueStmtContext : public StatementContext {
  public:
    ContinueStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *CONTINUE();
    antlr4::tree::TerminalNode *SEMI();
  };

  class  NextStmtContext : public StatementContext {
  public:
    NextStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *NEXT();
    antlr4::tree::TerminalNode *SEMI();
  };

  class  DeleteStmtContext : public StatementContext {
  public:
    DeleteStmtContext(StatementContext *ctx);

    antlr4::tree::TerminalNode *DELETE();
    ExprContext *expr();
    antlr4::tree::TerminalNode *SEMI();
  };

  StatementContext* statement();

  class  ForeachHeadContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *value = nullptr;;
    StapParser::SortMarkContext *valueSort = nullptr;;
    antlr4::Token *aggSort = nullptr;;
    StapParser::SortMarkContext *arraySort = nullptr;;
    StapParser::ExprContext *limitExpr = nullptr;;
    ForeachHeadContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    ForeachKeysContext *foreachKeys();
    antlr4::tree::TerminalNode *IN();
    ForeachSourceContext *foreachSource();
    antlr4::tree::TerminalNode *ASSIGN();
    antlr4::tree::TerminalNode *LIMIT();
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *AT_IDENT();
    std::vector<SortMarkContext *> sortMark();
    SortMarkContext* sortMark(size_t i);
    ExprContext *expr();

   
  };

  ForeachHeadContext* foreachHead();

  class  ForeachKeysContext : public antlr4::ParserRuleContext {
  public:
    ForeachKeysContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<ForeachKeyContext *> foreachKey();
    ForeachKeyContext* foreachKey(size_t i);
    antlr4::tree::TerminalNode *LBRACK();
    antlr4::tree::TerminalNode *RBRACK();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  ForeachKeysContext* foreachKeys();

  class  ForeachKeyContext : public antlr4::ParserRuleContext {
  public:
    ForeachKeyContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *IDENT();
    SortMarkContext *sortMark();

   
  };

  ForeachKeyContext* foreachKey();

  class  SortMarkContext : public antlr4::ParserRuleContext {
  public:
    SortMarkContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *PLUS();
    antlr4::tree::TerminalNode *MINUS();

   
  };

  SortMarkContext* sortMark();

  class  ForeachSourceContext : public antlr4::ParserRuleContext {
  public:
    ForeachSourceContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *LBRACK();
    std::vector<SliceKeyContext *> sliceKey();
    SliceKeyContext* sliceKey(size_t i);
    antlr4::tree::TerminalNode *RBRACK();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);
    HistogramOpContext *histogramOp();

   
  };

  ForeachSourceContext* foreachSource();

  class  SliceKeyContext : public antlr4::ParserRuleContext {
  public:
    SliceKeyContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *STAR();
    ExprContext *expr();

   
  };

  SliceKeyContext* sliceKey();

  class  ExprContext : public antlr4::ParserRuleContext {
  public:
    ExprContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    AssignmentContext *assignment();

   
  };

  ExprContext* expr();

  class  AssignmentContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    AssignmentContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    TernaryContext *ternary();
    AssignmentContext *assignment();
    antlr4::tree::TerminalNode *ASSIGN();
    antlr4::tree::TerminalNode *ADD_ASSIGN();
    antlr4::tree::TerminalNode *SUB_ASSIGN();
    antlr4::tree::TerminalNode *MUL_ASSIGN();
    antlr4::tree::TerminalNode *DIV_ASSIGN();
    antlr4::tree::TerminalNode *MOD_ASSIGN();
    antlr4::tree::TerminalNode *SHL_ASSIGN();
    antlr4::tree::TerminalNode *SHR_ASSIGN();
    antlr4::tree::TerminalNode *SHR3_ASSIGN();
    antlr4::tree::TerminalNode *AND_ASSIGN();
    antlr4::tree::TerminalNode *OR_ASSIGN();
    antlr4::tree::TerminalNode *XOR_ASSIGN();
    antlr4::tree::TerminalNode *CAT_ASSIGN();
    antlr4::tree::TerminalNode *SHL3();

   
  };

  AssignmentContext* assignment();

  class  TernaryContext : public antlr4::ParserRuleContext {
  public:
    TernaryContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    LogicalOrContext *logicalOr();
    antlr4::tree::TerminalNode *QUESTION();
    std::vector<ExprContext *> expr();
    ExprContext* expr(size_t i);
    antlr4::tree::TerminalNode *COLON();

   
  };

  TernaryContext* ternary();

  class  LogicalOrContext : public antlr4::ParserRuleContext {
  public:
    LogicalOrContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<LogicalAndContext *> logicalAnd();
    LogicalAndContext* logicalAnd(size_t i);
    std::vector<antlr4::tree::TerminalNode *> OROR();
    antlr4::tree::TerminalNode* OROR(size_t i);

   
  };

  LogicalOrContext* logicalOr();

  class  LogicalAndContext : public antlr4::ParserRuleContext {
  public:
    LogicalAndContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<BitOrContext *> bitOr();
    BitOrContext* bitOr(size_t i);
    std::vector<antlr4::tree::TerminalNode *> ANDAND();
    antlr4::tree::TerminalNode* ANDAND(size_t i);

   
  };

  LogicalAndContext* logicalAnd();

  class  BitOrContext : public antlr4::ParserRuleContext {
  public:
    BitOrContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<BitXorContext *> bitXor();
    BitXorContext* bitXor(size_t i);
    std::vector<antlr4::tree::TerminalNode *> PIPE();
    antlr4::tree::TerminalNode* PIPE(size_t i);

   
  };

  BitOrContext* bitOr();

  class  BitXorContext : public antlr4::ParserRuleContext {
  public:
    BitXorContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<BitAndContext *> bitAnd();
    BitAndContext* bitAnd(size_t i);
    std::vector<antlr4::tree::TerminalNode *> CARET();
    antlr4::tree::TerminalNode* CARET(size_t i);

   
  };

  BitXorContext* bitXor();

  class  BitAndContext : public antlr4::ParserRuleContext {
  public:
    BitAndContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<ArrayInContext *> arrayIn();
    ArrayInContext* arrayIn(size_t i);
    std::vector<antlr4::tree::TerminalNode *> AMP();
    antlr4::tree::TerminalNode* AMP(size_t i);

   
  };

  BitAndContext* bitAnd();

  class  ArrayInContext : public antlr4::ParserRuleContext {
  public:
    ArrayInContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    ComparisonContext *comparison();
    antlr4::tree::TerminalNode *IN();
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *LBRACK();
    std::vector<InKeyContext *> inKey();
    InKeyContext* inKey(size_t i);
    antlr4::tree::TerminalNode *RBRACK();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  ArrayInContext* arrayIn();

  class  InKeyContext : public antlr4::ParserRuleContext {
  public:
    InKeyContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *STAR();
    ExprContext *expr();

   
  };

  InKeyContext* inKey();

  class  IndexKeyContext : public antlr4::ParserRuleContext {
  public:
    IndexKeyContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *STAR();
    ExprContext *expr();

   
  };

  IndexKeyContext* indexKey();

  class  ComparisonContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    ComparisonContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<ShiftContext *> shift();
    ShiftContext* shift(size_t i);
    std::vector<antlr4::tree::TerminalNode *> LT();
    antlr4::tree::TerminalNode* LT(size_t i);
    std::vector<antlr4::tree::TerminalNode *> GT();
    antlr4::tree::TerminalNode* GT(size_t i);
    std::vector<antlr4::tree::TerminalNode *> LE();
    antlr4::tree::TerminalNode* LE(size_t i);
    std::vector<antlr4::tree::TerminalNode *> GE();
    antlr4::tree::TerminalNode* GE(size_t i);
    std::vector<antlr4::tree::TerminalNode *> EQ();
    antlr4::tree::TerminalNode* EQ(size_t i);
    std::vector<antlr4::tree::TerminalNode *> NE();
    antlr4::tree::TerminalNode* NE(size_t i);
    std::vector<antlr4::tree::TerminalNode *> MATCH();
    antlr4::tree::TerminalNode* MATCH(size_t i);
    std::vector<antlr4::tree::TerminalNode *> NOMATCH();
    antlr4::tree::TerminalNode* NOMATCH(size_t i);

   
  };

  ComparisonContext* comparison();

  class  ShiftContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    ShiftContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<ConcatContext *> concat();
    ConcatContext* concat(size_t i);
    std::vector<antlr4::tree::TerminalNode *> SHL();
    antlr4::tree::TerminalNode* SHL(size_t i);
    std::vector<antlr4::tree::TerminalNode *> SHR();
    antlr4::tree::TerminalNode* SHR(size_t i);
    std::vector<antlr4::tree::TerminalNode *> SHR3();
    antlr4::tree::TerminalNode* SHR3(size_t i);

   
  };

  ShiftContext* shift();

  class  ConcatContext : public antlr4::ParserRuleContext {
  public:
    ConcatContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<AdditiveContext *> additive();
    AdditiveContext* additive(size_t i);
    std::vector<antlr4::tree::TerminalNode *> DOT();
    antlr4::tree::TerminalNode* DOT(size_t i);

   
  };

  ConcatContext* concat();

  class  AdditiveContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    AdditiveContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<MultiplicativeContext *> multiplicative();
    MultiplicativeContext* multiplicative(size_t i);
    std::vector<antlr4::tree::TerminalNode *> PLUS();
    antlr4::tree::TerminalNode* PLUS(size_t i);
    std::vector<antlr4::tree::TerminalNode *> MINUS();
    antlr4::tree::TerminalNode* MINUS(size_t i);

   
  };

  AdditiveContext* additive();

  class  MultiplicativeContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    MultiplicativeContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    std::vector<UnaryContext *> unary();
    UnaryContext* unary(size_t i);
    std::vector<antlr4::tree::TerminalNode *> STAR();
    antlr4::tree::TerminalNode* STAR(size_t i);
    std::vector<antlr4::tree::TerminalNode *> SLASH();
    antlr4::tree::TerminalNode* SLASH(size_t i);
    std::vector<antlr4::tree::TerminalNode *> PERCENT();
    antlr4::tree::TerminalNode* PERCENT(size_t i);

   
  };

  MultiplicativeContext* multiplicative();

  class  UnaryContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    UnaryContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    UnaryContext *unary();
    antlr4::tree::TerminalNode *PLUS();
    antlr4::tree::TerminalNode *MINUS();
    antlr4::tree::TerminalNode *BANG();
    antlr4::tree::TerminalNode *TILDE();
    antlr4::tree::TerminalNode *AMP();
    antlr4::tree::TerminalNode *INC();
    antlr4::tree::TerminalNode *DEC();
    PostfixContext *postfix();

   
  };

  UnaryContext* unary();

  class  PostfixContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *op = nullptr;;
    PostfixContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    PrimaryContext *primary();
    antlr4::tree::TerminalNode *INC();
    antlr4::tree::TerminalNode *DEC();

   
  };

  PostfixContext* postfix();

  class  PrimaryContext : public antlr4::ParserRuleContext {
  public:
    PrimaryContext(antlr4::ParserRuleContext *parent, size_t invokingState);
   
    PrimaryContext() = default;
    void copyFrom(PrimaryContext *context);
    using antlr4::ParserRuleContext::copyFrom;

    virtual size_t getRuleIndex() const override;

   
  };

  class  StringExprContext : public PrimaryContext {
  public:
    StringExprContext(PrimaryContext *ctx);

    std::vector<antlr4::tree::TerminalNode *> STRING();
    antlr4::tree::TerminalNode* STRING(size_t i);
  };

  class  IdentExprContext : public PrimaryContext {
  public:
    IdentExprContext(PrimaryContext *ctx);

    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *LBRACK();
    std::vector<IndexKeyContext *> indexKey();
    IndexKeyContext* indexKey(size_t i);
    antlr4::tree::TerminalNode *RBRACK();
    std::vector<TargetSuffixContext *> targetSuffix();
    TargetSuffixContext* targetSuffix(size_t i);
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);
  };

  class  HistogramExprContext : public PrimaryContext {
  public:
    HistogramExprContext(PrimaryContext *ctx);

    HistogramOpContext *histogramOp();
    antlr4::tree::TerminalNode *LBRACK();
    ExprContext *expr();
    antlr4::tree::TerminalNode *RBRACK();
  };

  class  NumberExprContext : public PrimaryContext {
  public:
    NumberExprContext(PrimaryContext *ctx);

    antlr4::tree::TerminalNode *NUMBER();
  };

  class  AtCallExprContext : public PrimaryContext {
  public:
    AtCallExprContext(PrimaryContext *ctx);

    antlr4::tree::TerminalNode *AT_IDENT();
    antlr4::tree::TerminalNode *LPAREN();
    antlr4::tree::TerminalNode *RPAREN();
    std::vector<ExprContext *> expr();
    ExprContext* expr(size_t i);
    std::vector<TargetSuffixContext *> targetSuffix();
    TargetSuffixContext* targetSuffix(size_t i);
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);
  };

  class  CallExprContext : public PrimaryContext {
  public:
    CallExprContext(PrimaryContext *ctx);

    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *LPAREN();
    antlr4::tree::TerminalNode *RPAREN();
    std::vector<ExprContext *> expr();
    ExprContext* expr(size_t i);
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);
  };

  class  ParenExprContext : public PrimaryContext {
  public:
    ParenExprContext(PrimaryContext *ctx);

    antlr4::tree::TerminalNode *LPAREN();
    ExprContext *expr();
    antlr4::tree::TerminalNode *RPAREN();
  };

  PrimaryContext* primary();

  class  HistogramOpContext : public antlr4::ParserRuleContext {
  public:
    antlr4::Token *hist = nullptr;;
    HistogramOpContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *LPAREN();
    std::vector<ExprContext *> expr();
    ExprContext* expr(size_t i);
    antlr4::tree::TerminalNode *RPAREN();
    antlr4::tree::TerminalNode *HIST_LOG();
    antlr4::tree::TerminalNode *HIST_LINEAR();
    std::vector<antlr4::tree::TerminalNode *> COMMA();
    antlr4::tree::TerminalNode* COMMA(size_t i);

   
  };

  HistogramOpContext* histogramOp();

  class  TargetSuffixContext : public antlr4::ParserRuleContext {
  public:
    TargetSuffixContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *ARROW();
    MemberNameContext *memberName();
    antlr4::tree::TerminalNode *LBRACK();
    ExprContext *expr();
    antlr4::tree::TerminalNode *RBRACK();

   
  };

  TargetSuffixContext* targetSuffix();

  class  MemberNameContext : public antlr4::ParserRuleContext {
  public:
    MemberNameContext(antlr4::ParserRuleContext *parent, size_t invokingState);
    virtual size_t getRuleIndex() const override;
    antlr4::tree::TerminalNode *IDENT();
    antlr4::tree::TerminalNode *PROBE();
    antlr4::tree::TerminalNode *GLOBAL();
    antlr4::tree::TerminalNode *PRIVATE();
    antlr4::tree::TerminalNode *FUNCTION();
    antlr4::tree::TerminalNode *IF();
    antlr4::tree::TerminalNode *ELSE();
    antlr4::tree::TerminalNode *WHILE();
    antlr4::tree::TerminalNode *FOR();
    antlr4::tree::TerminalNode *FOREACH();
    antlr4::tree::TerminalNode *IN();
    antlr4::tree::TerminalNode *LIMIT();
    antlr4::tree::TerminalNode *BREAK();
    antlr4::tree::TerminalNode *CONTINUE();
    antlr4::tree::TerminalNode *NEXT();
    antlr4::tree::TerminalNode *RETURN();
    antlr4::tree::TerminalNode *DELETE();
    antlr4::tree::TerminalNode *TRY();
    antlr4::tree::TerminalNode *CATCH();
    antlr4::tree::TerminalNode *LONG();
    antlr4::tree::TerminalNode *STRING_KW();

   
  };

  MemberNameContext* memberName();


  virtual bool sempred(antlr4::RuleContext *_localctx, size_t ruleIndex, size_t predicateIndex) override;
  bool ppNameSempred(PpNameContext *_localctx, size_t predicateIndex);

private:
  static std::vector<antlr4::dfa::DFA> _decisionToDFA;
  static antlr4::atn::PredictionContextCache _sharedContextCache;
  static std::vector<std::string> _ruleNames;
  static std::vector<std::string> _tokenNames;

  static std::vector<std::string> _literalNames;
  static std::vector<std::string> _symbolicNames;
  static antlr4::dfa::Vocabulary _vocabulary;
  static antlr4::atn::ATN _atn;
  static std::vector<uint16_t> _serializedATN;


  struct Initializer {
    Initializer();
  };
  static Initializer _init;
};

}  // namespace ktap::grammar
