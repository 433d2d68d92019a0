
// Generated from StapParser.g4 by ANTLR 4.7.2



#include "StapParser.h"


using namespace antlrcpp;
using namespace ktap::grammar;
using namespace antlr4;

StapParser::StapParser(TokenStream *input) : Parser(input) {
  _interpreter = new atn::ParserATNSimulator(this, _atn, _decisionToDFA, _sharedContextCache);
}

StapParser::~StapParser() {
  delete _interpreter;
}

std::string StapParser::getGrammarFileName() const {
  return "StapParser.g4";
}

const std::vector<std::string>& StapParser::getRuleNames() const {
  return _ruleNames;
}

dfa::Vocabulary& StapParser::getVocabulary() const {
  return _vocabulary;
}


//----------------- ScriptContext ------------------------------------------------------------------

StapParser::ScriptContext::ScriptContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::ScriptContext::EOF() {
  return getToken(StapParser::EOF, 0);
}

std::vector<StapParser::TopItemContext *> StapParser::ScriptContext::topItem() {
  return getRuleContexts<StapParser::TopItemContext>();
}

StapParser::TopItemContext* StapParser::ScriptContext::topItem(size_t i) {
  return getRuleContext<StapParser::TopItemContext>(i);
}


size_t StapParser::ScriptContext::getRuleIndex() const {
  return StapParser::RuleScript;
}


StapParser::ScriptContext* StapParser::script() {
  ScriptContext *_localctx = _tracker.createInstance<ScriptContext>(_ctx, getState());
  enterRule(_localctx, 0, StapParser::RuleScript);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(107);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while ((((_la & ~ 0x3fULL) == 0) &&
      ((1ULL << _la) & ((1ULL << StapParser::PROBE)
      | (1ULL << StapParser::GLOBAL)
      | (1ULL << StapParser::PRIVATE)
      | (1ULL << StapParser::FUNCTION)
      | (1ULL << StapParser::EMBEDDED_C))) != 0) || _la == StapParser::SEMI) {
      setState(104);
      topItem();
      setState(109);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
    setState(110);
    match(StapParser::EOF);
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- TopItemContext ------------------------------------------------------------------

StapParser::TopItemContext::TopItemContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::GlobalDeclContext* StapParser::TopItemContext::globalDecl() {
  return getRuleContext<StapParser::GlobalDeclContext>(0);
}

StapParser::FunctionDeclContext* StapParser::TopItemContext::functionDecl() {
  return getRuleContext<StapParser::FunctionDeclContext>(0);
}

StapParser::ProbeDeclContext* StapParser::TopItemContext::probeDecl() {
  return getRuleContext<StapParser::ProbeDeclContext>(0);
}

StapParser::EmbeddedCContext* StapParser::TopItemContext::embeddedC() {
  return getRuleContext<StapParser::EmbeddedCContext>(0);
}

tree::TerminalNode* StapParser::TopItemContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}


size_t StapParser::TopItemContext::getRuleIndex() const {
  return StapParser::RuleTopItem;
}


StapParser::TopItemContext* StapParser::topItem() {
  TopItemContext *_localctx = _tracker.createInstance<TopItemContext>(_ctx, getState());
  enterRule(_localctx, 2, StapParser::RuleTopItem);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(117);
    _errHandler->sync(this);
    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 1, _ctx)) {
    case 1: {
      enterOuterAlt(_localctx, 1);
      setState(112);
      globalDecl();
      break;
    }

    case 2: {
      enterOuterAlt(_localctx, 2);
      setState(113);
      functionDecl();
      break;
    }

    case 3: {
      enterOuterAlt(_localctx, 3);
      setState(114);
      probeDecl();
      break;
    }

    case 4: {
      enterOuterAlt(_localctx, 4);
      setState(115);
      embeddedC();
      break;
    }

    case 5: {
      enterOuterAlt(_localctx, 5);
      setState(116);
      match(StapParser::SEMI);
      break;
    }

    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- EmbeddedCContext ------------------------------------------------------------------

StapParser::EmbeddedCContext::EmbeddedCContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::EmbeddedCContext::EMBEDDED_C() {
  return getToken(StapParser::EMBEDDED_C, 0);
}


size_t StapParser::EmbeddedCContext::getRuleIndex() const {
  return StapParser::RuleEmbeddedC;
}


StapParser::EmbeddedCContext* StapParser::embeddedC() {
  EmbeddedCContext *_localctx = _tracker.createInstance<EmbeddedCContext>(_ctx, getState());
  enterRule(_localctx, 4, StapParser::RuleEmbeddedC);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(119);
    match(StapParser::EMBEDDED_C);
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- GlobalDeclContext ------------------------------------------------------------------

StapParser::GlobalDeclContext::GlobalDeclContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::GlobalDeclContext::GLOBAL() {
  return getToken(StapParser::GLOBAL, 0);
}

std::vector<StapParser::GlobalVarContext *> StapParser::GlobalDeclContext::globalVar() {
  return getRuleContexts<StapParser::GlobalVarContext>();
}

StapParser::GlobalVarContext* StapParser::GlobalDeclContext::globalVar(size_t i) {
  return getRuleContext<StapParser::GlobalVarContext>(i);
}

tree::TerminalNode* StapParser::GlobalDeclContext::PRIVATE() {
  return getToken(StapParser::PRIVATE, 0);
}

std::vector<tree::TerminalNode *> StapParser::GlobalDeclContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::GlobalDeclContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}

tree::TerminalNode* StapParser::GlobalDeclContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}


size_t StapParser::GlobalDeclContext::getRuleIndex() const {
  return StapParser::RuleGlobalDecl;
}


StapParser::GlobalDeclContext* StapParser::globalDecl() {
  GlobalDeclContext *_localctx = _tracker.createInstance<GlobalDeclContext>(_ctx, getState());
  enterRule(_localctx, 6, StapParser::RuleGlobalDecl);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(148);
    _errHandler->sync(this);
    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 7, _ctx)) {
    case 1: {
      enterOuterAlt(_localctx, 1);
      setState(122);
      _errHandler->sync(this);

      _la = _input->LA(1);
      if (_la == StapParser::PRIVATE) {
        setState(121);
        match(StapParser::PRIVATE);
      }
      setState(124);
      match(StapParser::GLOBAL);
      setState(125);
      globalVar();
      setState(130);
      _errHandler->sync(this);
      _la = _input->LA(1);
      while (_la == StapParser::COMMA) {
        setState(126);
        match(StapParser::COMMA);
        setState(127);
        globalVar();
        setState(132);
        _errHandler->sync(this);
        _la = _input->LA(1);
      }
      setState(134);
      _errHandler->sync(this);

      switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 4, _ctx)) {
      case 1: {
        setState(133);
        match(StapParser::SEMI);
        break;
      }

      }
      break;
    }

    case 2: {
      enterOuterAlt(_localctx, 2);
      setState(136);
      match(StapParser::PRIVATE);
      setState(137);
      globalVar();
      setState(142);
      _errHandler->sync(this);
      _la = _input->LA(1);
      while (_la == StapParser::COMMA) {
        setState(138);
        match(StapParser::COMMA);
        setState(139);
        globalVar();
        setState(144);
        _errHandler->sync(this);
        _la = _input->LA(1);
      }
      setState(146);
      _errHandler->sync(this);

      switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 6, _ctx)) {
      case 1: {
        setState(145);
        match(StapParser::SEMI);
        break;
      }

      }
      break;
    }

    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- GlobalVarContext ------------------------------------------------------------------

StapParser::GlobalVarContext::GlobalVarContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::GlobalVarContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::GlobalVarContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

tree::TerminalNode* StapParser::GlobalVarContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}

tree::TerminalNode* StapParser::GlobalVarContext::ASSIGN() {
  return getToken(StapParser::ASSIGN, 0);
}

StapParser::LiteralContext* StapParser::GlobalVarContext::literal() {
  return getRuleContext<StapParser::LiteralContext>(0);
}

std::vector<tree::TerminalNode *> StapParser::GlobalVarContext::PERCENT() {
  return getTokens(StapParser::PERCENT);
}

tree::TerminalNode* StapParser::GlobalVarContext::PERCENT(size_t i) {
  return getToken(StapParser::PERCENT, i);
}

tree::TerminalNode* StapParser::GlobalVarContext::NUMBER() {
  return getToken(StapParser::NUMBER, 0);
}


size_t StapParser::GlobalVarContext::getRuleIndex() const {
  return StapParser::RuleGlobalVar;
}


StapParser::GlobalVarContext* StapParser::globalVar() {
  GlobalVarContext *_localctx = _tracker.createInstance<GlobalVarContext>(_ctx, getState());
  enterRule(_localctx, 8, StapParser::RuleGlobalVar);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(150);
    match(StapParser::IDENT);
    setState(152);
    _errHandler->sync(this);

    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 8, _ctx)) {
    case 1: {
      setState(151);
      dynamic_cast<GlobalVarContext *>(_localctx)->wrap1 = match(StapParser::PERCENT);
      break;
    }

    }
    setState(157);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::LBRACK) {
      setState(154);
      match(StapParser::LBRACK);
      setState(155);
      dynamic_cast<GlobalVarContext *>(_localctx)->size = match(StapParser::NUMBER);
      setState(156);
      match(StapParser::RBRACK);
    }
    setState(160);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::PERCENT) {
      setState(159);
      dynamic_cast<GlobalVarContext *>(_localctx)->wrap2 = match(StapParser::PERCENT);
    }
    setState(164);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::ASSIGN) {
      setState(162);
      match(StapParser::ASSIGN);
      setState(163);
      literal();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- LiteralContext ------------------------------------------------------------------

StapParser::LiteralContext::LiteralContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::LiteralContext::NUMBER() {
  return getToken(StapParser::NUMBER, 0);
}

tree::TerminalNode* StapParser::LiteralContext::MINUS() {
  return getToken(StapParser::MINUS, 0);
}

std::vector<tree::TerminalNode *> StapParser::LiteralContext::STRING() {
  return getTokens(StapParser::STRING);
}

tree::TerminalNode* StapParser::LiteralContext::STRING(size_t i) {
  return getToken(StapParser::STRING, i);
}


size_t StapParser::LiteralContext::getRuleIndex() const {
  return StapParser::RuleLiteral;
}


StapParser::LiteralContext* StapParser::literal() {
  LiteralContext *_localctx = _tracker.createInstance<LiteralContext>(_ctx, getState());
  enterRule(_localctx, 10, StapParser::RuleLiteral);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(175);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::NUMBER:
      case StapParser::MINUS: {
        enterOuterAlt(_localctx, 1);
        setState(167);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (_la == StapParser::MINUS) {
          setState(166);
          match(StapParser::MINUS);
        }
        setState(169);
        match(StapParser::NUMBER);
        break;
      }

      case StapParser::STRING: {
        enterOuterAlt(_localctx, 2);
        setState(171); 
        _errHandler->sync(this);
        _la = _input->LA(1);
        do {
          setState(170);
          match(StapParser::STRING);
          setState(173); 
          _errHandler->sync(this);
          _la = _input->LA(1);
        } while (_la == StapParser::STRING);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- FunctionDeclContext ------------------------------------------------------------------

StapParser::FunctionDeclContext::FunctionDeclContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::FunctionDeclContext::FUNCTION() {
  return getToken(StapParser::FUNCTION, 0);
}

tree::TerminalNode* StapParser::FunctionDeclContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

tree::TerminalNode* StapParser::FunctionDeclContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

tree::TerminalNode* StapParser::FunctionDeclContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

StapParser::BlockContext* StapParser::FunctionDeclContext::block() {
  return getRuleContext<StapParser::BlockContext>(0);
}

tree::TerminalNode* StapParser::FunctionDeclContext::EMBEDDED_C() {
  return getToken(StapParser::EMBEDDED_C, 0);
}

tree::TerminalNode* StapParser::FunctionDeclContext::PRIVATE() {
  return getToken(StapParser::PRIVATE, 0);
}

std::vector<tree::TerminalNode *> StapParser::FunctionDeclContext::COLON() {
  return getTokens(StapParser::COLON);
}

tree::TerminalNode* StapParser::FunctionDeclContext::COLON(size_t i) {
  return getToken(StapParser::COLON, i);
}

StapParser::TypeNameContext* StapParser::FunctionDeclContext::typeName() {
  return getRuleContext<StapParser::TypeNameContext>(0);
}

std::vector<StapParser::ParamContext *> StapParser::FunctionDeclContext::param() {
  return getRuleContexts<StapParser::ParamContext>();
}

StapParser::ParamContext* StapParser::FunctionDeclContext::param(size_t i) {
  return getRuleContext<StapParser::ParamContext>(i);
}

StapParser::SignedNumberContext* StapParser::FunctionDeclContext::signedNumber() {
  return getRuleContext<StapParser::SignedNumberContext>(0);
}

std::vector<tree::TerminalNode *> StapParser::FunctionDeclContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::FunctionDeclContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::FunctionDeclContext::getRuleIndex() const {
  return StapParser::RuleFunctionDecl;
}


StapParser::FunctionDeclContext* StapParser::functionDecl() {
  FunctionDeclContext *_localctx = _tracker.createInstance<FunctionDeclContext>(_ctx, getState());
  enterRule(_localctx, 12, StapParser::RuleFunctionDecl);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(178);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::PRIVATE) {
      setState(177);
      match(StapParser::PRIVATE);
    }
    setState(180);
    match(StapParser::FUNCTION);
    setState(181);
    dynamic_cast<FunctionDeclContext *>(_localctx)->name = match(StapParser::IDENT);
    setState(184);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::COLON) {
      setState(182);
      match(StapParser::COLON);
      setState(183);
      typeName();
    }
    setState(186);
    match(StapParser::LPAREN);
    setState(195);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::IDENT) {
      setState(187);
      param();
      setState(192);
      _errHandler->sync(this);
      _la = _input->LA(1);
      while (_la == StapParser::COMMA) {
        setState(188);
        match(StapParser::COMMA);
        setState(189);
        param();
        setState(194);
        _errHandler->sync(this);
        _la = _input->LA(1);
      }
    }
    setState(197);
    match(StapParser::RPAREN);
    setState(200);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::COLON) {
      setState(198);
      match(StapParser::COLON);
      setState(199);
      dynamic_cast<FunctionDeclContext *>(_localctx)->priority = signedNumber();
    }
    setState(204);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::LBRACE: {
        setState(202);
        block();
        break;
      }

      case StapParser::EMBEDDED_C: {
        setState(203);
        match(StapParser::EMBEDDED_C);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ParamContext ------------------------------------------------------------------

StapParser::ParamContext::ParamContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::ParamContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::ParamContext::COLON() {
  return getToken(StapParser::COLON, 0);
}

StapParser::TypeNameContext* StapParser::ParamContext::typeName() {
  return getRuleContext<StapParser::TypeNameContext>(0);
}


size_t StapParser::ParamContext::getRuleIndex() const {
  return StapParser::RuleParam;
}


StapParser::ParamContext* StapParser::param() {
  ParamContext *_localctx = _tracker.createInstance<ParamContext>(_ctx, getState());
  enterRule(_localctx, 14, StapParser::RuleParam);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(206);
    match(StapParser::IDENT);
    setState(209);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::COLON) {
      setState(207);
      match(StapParser::COLON);
      setState(208);
      typeName();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- TypeNameContext ------------------------------------------------------------------

StapParser::TypeNameContext::TypeNameContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::TypeNameContext::LONG() {
  return getToken(StapParser::LONG, 0);
}

tree::TerminalNode* StapParser::TypeNameContext::STRING_KW() {
  return getToken(StapParser::STRING_KW, 0);
}


size_t StapParser::TypeNameContext::getRuleIndex() const {
  return StapParser::RuleTypeName;
}


StapParser::TypeNameContext* StapParser::typeName() {
  TypeNameContext *_localctx = _tracker.createInstance<TypeNameContext>(_ctx, getState());
  enterRule(_localctx, 16, StapParser::RuleTypeName);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(211);
    _la = _input->LA(1);
    if (!(_la == StapParser::LONG

    || _la == StapParser::STRING_KW)) {
    _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- SignedNumberContext ------------------------------------------------------------------

StapParser::SignedNumberContext::SignedNumberContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::SignedNumberContext::NUMBER() {
  return getToken(StapParser::NUMBER, 0);
}

tree::TerminalNode* StapParser::SignedNumberContext::MINUS() {
  return getToken(StapParser::MINUS, 0);
}


size_t StapParser::SignedNumberContext::getRuleIndex() const {
  return StapParser::RuleSignedNumber;
}


StapParser::SignedNumberContext* StapParser::signedNumber() {
  SignedNumberContext *_localctx = _tracker.createInstance<SignedNumberContext>(_ctx, getState());
  enterRule(_localctx, 18, StapParser::RuleSignedNumber);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(214);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::MINUS) {
      setState(213);
      match(StapParser::MINUS);
    }
    setState(216);
    match(StapParser::NUMBER);
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ProbeDeclContext ------------------------------------------------------------------

StapParser::ProbeDeclContext::ProbeDeclContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::ProbeDeclContext::PROBE() {
  return getToken(StapParser::PROBE, 0);
}

std::vector<StapParser::ProbePointsContext *> StapParser::ProbeDeclContext::probePoints() {
  return getRuleContexts<StapParser::ProbePointsContext>();
}

StapParser::ProbePointsContext* StapParser::ProbeDeclContext::probePoints(size_t i) {
  return getRuleContext<StapParser::ProbePointsContext>(i);
}

std::vector<StapParser::BlockContext *> StapParser::ProbeDeclContext::block() {
  return getRuleContexts<StapParser::BlockContext>();
}

StapParser::BlockContext* StapParser::ProbeDeclContext::block(size_t i) {
  return getRuleContext<StapParser::BlockContext>(i);
}

std::vector<StapParser::AliasOpContext *> StapParser::ProbeDeclContext::aliasOp() {
  return getRuleContexts<StapParser::AliasOpContext>();
}

StapParser::AliasOpContext* StapParser::ProbeDeclContext::aliasOp(size_t i) {
  return getRuleContext<StapParser::AliasOpContext>(i);
}

tree::TerminalNode* StapParser::ProbeDeclContext::COMMA() {
  return getToken(StapParser::COMMA, 0);
}


size_t StapParser::ProbeDeclContext::getRuleIndex() const {
  return StapParser::RuleProbeDecl;
}


StapParser::ProbeDeclContext* StapParser::probeDecl() {
  ProbeDeclContext *_localctx = _tracker.createInstance<ProbeDeclContext>(_ctx, getState());
  enterRule(_localctx, 20, StapParser::RuleProbeDecl);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(218);
    match(StapParser::PROBE);
    setState(219);
    probePoints();
    setState(225);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::ADD_ASSIGN

    || _la == StapParser::ASSIGN) {
      setState(220);
      aliasOp();
      setState(221);
      probePoints();
      setState(227);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
    setState(228);
    block();
    setState(231);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::COMMA) {
      setState(229);
      match(StapParser::COMMA);
      setState(230);
      block();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- AliasOpContext ------------------------------------------------------------------

StapParser::AliasOpContext::AliasOpContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::AliasOpContext::ASSIGN() {
  return getToken(StapParser::ASSIGN, 0);
}

tree::TerminalNode* StapParser::AliasOpContext::ADD_ASSIGN() {
  return getToken(StapParser::ADD_ASSIGN, 0);
}


size_t StapParser::AliasOpContext::getRuleIndex() const {
  return StapParser::RuleAliasOp;
}


StapParser::AliasOpContext* StapParser::aliasOp() {
  AliasOpContext *_localctx = _tracker.createInstance<AliasOpContext>(_ctx, getState());
  enterRule(_localctx, 22, StapParser::RuleAliasOp);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(233);
    _la = _input->LA(1);
    if (!(_la == StapParser::ADD_ASSIGN

    || _la == StapParser::ASSIGN)) {
    _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ProbePointsContext ------------------------------------------------------------------

StapParser::ProbePointsContext::ProbePointsContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::ProbePointContext *> StapParser::ProbePointsContext::probePoint() {
  return getRuleContexts<StapParser::ProbePointContext>();
}

StapParser::ProbePointContext* StapParser::ProbePointsContext::probePoint(size_t i) {
  return getRuleContext<StapParser::ProbePointContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::ProbePointsContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::ProbePointsContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::ProbePointsContext::getRuleIndex() const {
  return StapParser::RuleProbePoints;
}


StapParser::ProbePointsContext* StapParser::probePoints() {
  ProbePointsContext *_localctx = _tracker.createInstance<ProbePointsContext>(_ctx, getState());
  enterRule(_localctx, 24, StapParser::RuleProbePoints);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(235);
    probePoint();
    setState(240);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::COMMA) {
      setState(236);
      match(StapParser::COMMA);
      setState(237);
      probePoint();
      setState(242);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ProbePointContext ------------------------------------------------------------------

StapParser::ProbePointContext::ProbePointContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::PpComponentContext *> StapParser::ProbePointContext::ppComponent() {
  return getRuleContexts<StapParser::PpComponentContext>();
}

StapParser::PpComponentContext* StapParser::ProbePointContext::ppComponent(size_t i) {
  return getRuleContext<StapParser::PpComponentContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::ProbePointContext::DOT() {
  return getTokens(StapParser::DOT);
}

tree::TerminalNode* StapParser::ProbePointContext::DOT(size_t i) {
  return getToken(StapParser::DOT, i);
}

std::vector<StapParser::PpFlagContext *> StapParser::ProbePointContext::ppFlag() {
  return getRuleContexts<StapParser::PpFlagContext>();
}

StapParser::PpFlagContext* StapParser::ProbePointContext::ppFlag(size_t i) {
  return getRuleContext<StapParser::PpFlagContext>(i);
}

tree::TerminalNode* StapParser::ProbePointContext::IF() {
  return getToken(StapParser::IF, 0);
}

tree::TerminalNode* StapParser::ProbePointContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

StapParser::ExprContext* StapParser::ProbePointContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::ProbePointContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}


size_t StapParser::ProbePointContext::getRuleIndex() const {
  return StapParser::RuleProbePoint;
}


StapParser::ProbePointContext* StapParser::probePoint() {
  ProbePointContext *_localctx = _tracker.createInstance<ProbePointContext>(_ctx, getState());
  enterRule(_localctx, 26, StapParser::RuleProbePoint);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(243);
    ppComponent();
    setState(248);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::DOT) {
      setState(244);
      match(StapParser::DOT);
      setState(245);
      ppComponent();
      setState(250);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
    setState(254);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::BANG

    || _la == StapParser::QUESTION) {
      setState(251);
      ppFlag();
      setState(256);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
    setState(262);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::IF) {
      setState(257);
      match(StapParser::IF);
      setState(258);
      match(StapParser::LPAREN);
      setState(259);
      expr();
      setState(260);
      match(StapParser::RPAREN);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PpFlagContext ------------------------------------------------------------------

StapParser::PpFlagContext::PpFlagContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::PpFlagContext::QUESTION() {
  return getToken(StapParser::QUESTION, 0);
}

tree::TerminalNode* StapParser::PpFlagContext::BANG() {
  return getToken(StapParser::BANG, 0);
}


size_t StapParser::PpFlagContext::getRuleIndex() const {
  return StapParser::RulePpFlag;
}


StapParser::PpFlagContext* StapParser::ppFlag() {
  PpFlagContext *_localctx = _tracker.createInstance<PpFlagContext>(_ctx, getState());
  enterRule(_localctx, 28, StapParser::RulePpFlag);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(264);
    _la = _input->LA(1);
    if (!(_la == StapParser::BANG

    || _la == StapParser::QUESTION)) {
    _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PpComponentContext ------------------------------------------------------------------

StapParser::PpComponentContext::PpComponentContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::PpNameContext* StapParser::PpComponentContext::ppName() {
  return getRuleContext<StapParser::PpNameContext>(0);
}

tree::TerminalNode* StapParser::PpComponentContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

StapParser::PpParamContext* StapParser::PpComponentContext::ppParam() {
  return getRuleContext<StapParser::PpParamContext>(0);
}

tree::TerminalNode* StapParser::PpComponentContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

tree::TerminalNode* StapParser::PpComponentContext::LBRACE() {
  return getToken(StapParser::LBRACE, 0);
}

std::vector<StapParser::ProbePointSeqContext *> StapParser::PpComponentContext::probePointSeq() {
  return getRuleContexts<StapParser::ProbePointSeqContext>();
}

StapParser::ProbePointSeqContext* StapParser::PpComponentContext::probePointSeq(size_t i) {
  return getRuleContext<StapParser::ProbePointSeqContext>(i);
}

tree::TerminalNode* StapParser::PpComponentContext::RBRACE() {
  return getToken(StapParser::RBRACE, 0);
}

std::vector<tree::TerminalNode *> StapParser::PpComponentContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::PpComponentContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::PpComponentContext::getRuleIndex() const {
  return StapParser::RulePpComponent;
}


StapParser::PpComponentContext* StapParser::ppComponent() {
  PpComponentContext *_localctx = _tracker.createInstance<PpComponentContext>(_ctx, getState());
  enterRule(_localctx, 30, StapParser::RulePpComponent);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(284);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::PROBE:
      case StapParser::GLOBAL:
      case StapParser::PRIVATE:
      case StapParser::FUNCTION:
      case StapParser::IF:
      case StapParser::ELSE:
      case StapParser::WHILE:
      case StapParser::FOR:
      case StapParser::FOREACH:
      case StapParser::IN:
      case StapParser::LIMIT:
      case StapParser::BREAK:
      case StapParser::CONTINUE:
      case StapParser::NEXT:
      case StapParser::RETURN:
      case StapParser::DELETE:
      case StapParser::TRY:
      case StapParser::CATCH:
      case StapParser::LONG:
      case StapParser::STRING_KW:
      case StapParser::IDENT:
      case StapParser::STAR: {
        enterOuterAlt(_localctx, 1);
        setState(266);
        ppName();
        setState(271);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (_la == StapParser::LPAREN) {
          setState(267);
          match(StapParser::LPAREN);
          setState(268);
          ppParam();
          setState(269);
          match(StapParser::RPAREN);
        }
        break;
      }

      case StapParser::LBRACE: {
        enterOuterAlt(_localctx, 2);
        setState(273);
        match(StapParser::LBRACE);
        setState(274);
        probePointSeq();
        setState(279);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(275);
          match(StapParser::COMMA);
          setState(276);
          probePointSeq();
          setState(281);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
        setState(282);
        match(StapParser::RBRACE);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ProbePointSeqContext ------------------------------------------------------------------

StapParser::ProbePointSeqContext::ProbePointSeqContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::PpComponentContext *> StapParser::ProbePointSeqContext::ppComponent() {
  return getRuleContexts<StapParser::PpComponentContext>();
}

StapParser::PpComponentContext* StapParser::ProbePointSeqContext::ppComponent(size_t i) {
  return getRuleContext<StapParser::PpComponentContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::ProbePointSeqContext::DOT() {
  return getTokens(StapParser::DOT);
}

tree::TerminalNode* StapParser::ProbePointSeqContext::DOT(size_t i) {
  return getToken(StapParser::DOT, i);
}


size_t StapParser::ProbePointSeqContext::getRuleIndex() const {
  return StapParser::RuleProbePointSeq;
}


StapParser::ProbePointSeqContext* StapParser::probePointSeq() {
  ProbePointSeqContext *_localctx = _tracker.createInstance<ProbePointSeqContext>(_ctx, getState());
  enterRule(_localctx, 32, StapParser::RuleProbePointSeq);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(286);
    ppComponent();
    setState(291);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::DOT) {
      setState(287);
      match(StapParser::DOT);
      setState(288);
      ppComponent();
      setState(293);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PpNameContext ------------------------------------------------------------------

StapParser::PpNameContext::PpNameContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::PpNamePartContext *> StapParser::PpNameContext::ppNamePart() {
  return getRuleContexts<StapParser::PpNamePartContext>();
}

StapParser::PpNamePartContext* StapParser::PpNameContext::ppNamePart(size_t i) {
  return getRuleContext<StapParser::PpNamePartContext>(i);
}

tree::TerminalNode* StapParser::PpNameContext::IF() {
  return getToken(StapParser::IF, 0);
}


size_t StapParser::PpNameContext::getRuleIndex() const {
  return StapParser::RulePpName;
}


StapParser::PpNameContext* StapParser::ppName() {
  PpNameContext *_localctx = _tracker.createInstance<PpNameContext>(_ctx, getState());
  enterRule(_localctx, 34, StapParser::RulePpName);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    size_t alt;
    enterOuterAlt(_localctx, 1);
    setState(296);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::PROBE:
      case StapParser::GLOBAL:
      case StapParser::PRIVATE:
      case StapParser::FUNCTION:
      case StapParser::ELSE:
      case StapParser::WHILE:
      case StapParser::FOR:
      case StapParser::FOREACH:
      case StapParser::IN:
      case StapParser::LIMIT:
      case StapParser::BREAK:
      case StapParser::CONTINUE:
      case StapParser::NEXT:
      case StapParser::RETURN:
      case StapParser::DELETE:
      case StapParser::TRY:
      case StapParser::CATCH:
      case StapParser::LONG:
      case StapParser::STRING_KW:
      case StapParser::IDENT:
      case StapParser::STAR: {
        setState(294);
        ppNamePart();
        break;
      }

      case StapParser::IF: {
        setState(295);
        match(StapParser::IF);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
    setState(302);
    _errHandler->sync(this);
    alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 34, _ctx);
    while (alt != 2 && alt != atn::ATN::INVALID_ALT_NUMBER) {
      if (alt == 1) {
        setState(298);

        if (!( _input->LT(1)->getStartIndex() == _input->LT(-1)->getStopIndex() + 1 )) throw FailedPredicateException(this, " _input->LT(1)->getStartIndex() == _input->LT(-1)->getStopIndex() + 1 ");
        setState(299);
        ppNamePart(); 
      }
      setState(304);
      _errHandler->sync(this);
      alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 34, _ctx);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PpNamePartContext ------------------------------------------------------------------

StapParser::PpNamePartContext::PpNamePartContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::PpNamePartContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::PpNamePartContext::STAR() {
  return getToken(StapParser::STAR, 0);
}

StapParser::KeywordContext* StapParser::PpNamePartContext::keyword() {
  return getRuleContext<StapParser::KeywordContext>(0);
}


size_t StapParser::PpNamePartContext::getRuleIndex() const {
  return StapParser::RulePpNamePart;
}


StapParser::PpNamePartContext* StapParser::ppNamePart() {
  PpNamePartContext *_localctx = _tracker.createInstance<PpNamePartContext>(_ctx, getState());
  enterRule(_localctx, 36, StapParser::RulePpNamePart);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(308);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::IDENT: {
        enterOuterAlt(_localctx, 1);
        setState(305);
        match(StapParser::IDENT);
        break;
      }

      case StapParser::STAR: {
        enterOuterAlt(_localctx, 2);
        setState(306);
        match(StapParser::STAR);
        break;
      }

      case StapParser::PROBE:
      case StapParser::GLOBAL:
      case StapParser::PRIVATE:
      case StapParser::FUNCTION:
      case StapParser::ELSE:
      case StapParser::WHILE:
      case StapParser::FOR:
      case StapParser::FOREACH:
      case StapParser::IN:
      case StapParser::LIMIT:
      case StapParser::BREAK:
      case StapParser::CONTINUE:
      case StapParser::NEXT:
      case StapParser::RETURN:
      case StapParser::DELETE:
      case StapParser::TRY:
      case StapParser::CATCH:
      case StapParser::LONG:
      case StapParser::STRING_KW: {
        enterOuterAlt(_localctx, 3);
        setState(307);
        keyword();
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PpParamContext ------------------------------------------------------------------

StapParser::PpParamContext::PpParamContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::PpLiteralContext *> StapParser::PpParamContext::ppLiteral() {
  return getRuleContexts<StapParser::PpLiteralContext>();
}

StapParser::PpLiteralContext* StapParser::PpParamContext::ppLiteral(size_t i) {
  return getRuleContext<StapParser::PpLiteralContext>(i);
}

tree::TerminalNode* StapParser::PpParamContext::LBRACE() {
  return getToken(StapParser::LBRACE, 0);
}

tree::TerminalNode* StapParser::PpParamContext::RBRACE() {
  return getToken(StapParser::RBRACE, 0);
}

std::vector<tree::TerminalNode *> StapParser::PpParamContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::PpParamContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::PpParamContext::getRuleIndex() const {
  return StapParser::RulePpParam;
}


StapParser::PpParamContext* StapParser::ppParam() {
  PpParamContext *_localctx = _tracker.createInstance<PpParamContext>(_ctx, getState());
  enterRule(_localctx, 38, StapParser::RulePpParam);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(322);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::MINUS: {
        enterOuterAlt(_localctx, 1);
        setState(310);
        ppLiteral();
        break;
      }

      case StapParser::LBRACE: {
        enterOuterAlt(_localctx, 2);
        setState(311);
        match(StapParser::LBRACE);
        setState(312);
        ppLiteral();
        setState(317);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(313);
          match(StapParser::COMMA);
          setState(314);
          ppLiteral();
          setState(319);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
        setState(320);
        match(StapParser::RBRACE);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PpLiteralContext ------------------------------------------------------------------

StapParser::PpLiteralContext::PpLiteralContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::PpLiteralContext::NUMBER() {
  return getToken(StapParser::NUMBER, 0);
}

tree::TerminalNode* StapParser::PpLiteralContext::MINUS() {
  return getToken(StapParser::MINUS, 0);
}

std::vector<tree::TerminalNode *> StapParser::PpLiteralContext::STRING() {
  return getTokens(StapParser::STRING);
}

tree::TerminalNode* StapParser::PpLiteralContext::STRING(size_t i) {
  return getToken(StapParser::STRING, i);
}


size_t StapParser::PpLiteralContext::getRuleIndex() const {
  return StapParser::RulePpLiteral;
}


StapParser::PpLiteralContext* StapParser::ppLiteral() {
  PpLiteralContext *_localctx = _tracker.createInstance<PpLiteralContext>(_ctx, getState());
  enterRule(_localctx, 40, StapParser::RulePpLiteral);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(333);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::NUMBER:
      case StapParser::MINUS: {
        enterOuterAlt(_localctx, 1);
        setState(325);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (_la == StapParser::MINUS) {
          setState(324);
          match(StapParser::MINUS);
        }
        setState(327);
        match(StapParser::NUMBER);
        break;
      }

      case StapParser::STRING: {
        enterOuterAlt(_localctx, 2);
        setState(329); 
        _errHandler->sync(this);
        _la = _input->LA(1);
        do {
          setState(328);
          match(StapParser::STRING);
          setState(331); 
          _errHandler->sync(this);
          _la = _input->LA(1);
        } while (_la == StapParser::STRING);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- KeywordContext ------------------------------------------------------------------

StapParser::KeywordContext::KeywordContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::KeywordContext::PROBE() {
  return getToken(StapParser::PROBE, 0);
}

tree::TerminalNode* StapParser::KeywordContext::GLOBAL() {
  return getToken(StapParser::GLOBAL, 0);
}

tree::TerminalNode* StapParser::KeywordContext::PRIVATE() {
  return getToken(StapParser::PRIVATE, 0);
}

tree::TerminalNode* StapParser::KeywordContext::FUNCTION() {
  return getToken(StapParser::FUNCTION, 0);
}

tree::TerminalNode* StapParser::KeywordContext::ELSE() {
  return getToken(StapParser::ELSE, 0);
}

tree::TerminalNode* StapParser::KeywordContext::WHILE() {
  return getToken(StapParser::WHILE, 0);
}

tree::TerminalNode* StapParser::KeywordContext::FOR() {
  return getToken(StapParser::FOR, 0);
}

tree::TerminalNode* StapParser::KeywordContext::FOREACH() {
  return getToken(StapParser::FOREACH, 0);
}

tree::TerminalNode* StapParser::KeywordContext::IN() {
  return getToken(StapParser::IN, 0);
}

tree::TerminalNode* StapParser::KeywordContext::LIMIT() {
  return getToken(StapParser::LIMIT, 0);
}

tree::TerminalNode* StapParser::KeywordContext::BREAK() {
  return getToken(StapParser::BREAK, 0);
}

tree::TerminalNode* StapParser::KeywordContext::CONTINUE() {
  return getToken(StapParser::CONTINUE, 0);
}

tree::TerminalNode* StapParser::KeywordContext::NEXT() {
  return getToken(StapParser::NEXT, 0);
}

tree::TerminalNode* StapParser::KeywordContext::RETURN() {
  return getToken(StapParser::RETURN, 0);
}

tree::TerminalNode* StapParser::KeywordContext::DELETE() {
  return getToken(StapParser::DELETE, 0);
}

tree::TerminalNode* StapParser::KeywordContext::TRY() {
  return getToken(StapParser::TRY, 0);
}

tree::TerminalNode* StapParser::KeywordContext::CATCH() {
  return getToken(StapParser::CATCH, 0);
}

tree::TerminalNode* StapParser::KeywordContext::LONG() {
  return getToken(StapParser::LONG, 0);
}

tree::TerminalNode* StapParser::KeywordContext::STRING_KW() {
  return getToken(StapParser::STRING_KW, 0);
}


size_t StapParser::KeywordContext::getRuleIndex() const {
  return StapParser::RuleKeyword;
}


StapParser::KeywordContext* StapParser::keyword() {
  KeywordContext *_localctx = _tracker.createInstance<KeywordContext>(_ctx, getState());
  enterRule(_localctx, 42, StapParser::RuleKeyword);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(335);
    _la = _input->LA(1);
    if (!((((_la & ~ 0x3fULL) == 0) &&
      ((1ULL << _la) & ((1ULL << StapParser::PROBE)
      | (1ULL << StapParser::GLOBAL)
      | (1ULL << StapParser::PRIVATE)
      | (1ULL << StapParser::FUNCTION)
      | (1ULL << StapParser::ELSE)
      | (1ULL << StapParser::WHILE)
      | (1ULL << StapParser::FOR)
      | (1ULL << StapParser::FOREACH)
      | (1ULL << StapParser::IN)
      | (1ULL << StapParser::LIMIT)
      | (1ULL << StapParser::BREAK)
      | (1ULL << StapParser::CONTINUE)
      | (1ULL << StapParser::NEXT)
      | (1ULL << StapParser::RETURN)
      | (1ULL << StapParser::DELETE)
      | (1ULL << StapParser::TRY)
      | (1ULL << StapParser::CATCH)
      | (1ULL << StapParser::LONG)
      | (1ULL << StapParser::STRING_KW))) != 0))) {
    _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- BlockContext ------------------------------------------------------------------

StapParser::BlockContext::BlockContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::BlockContext::LBRACE() {
  return getToken(StapParser::LBRACE, 0);
}

tree::TerminalNode* StapParser::BlockContext::RBRACE() {
  return getToken(StapParser::RBRACE, 0);
}

std::vector<StapParser::StatementContext *> StapParser::BlockContext::statement() {
  return getRuleContexts<StapParser::StatementContext>();
}

StapParser::StatementContext* StapParser::BlockContext::statement(size_t i) {
  return getRuleContext<StapParser::StatementContext>(i);
}


size_t StapParser::BlockContext::getRuleIndex() const {
  return StapParser::RuleBlock;
}


StapParser::BlockContext* StapParser::block() {
  BlockContext *_localctx = _tracker.createInstance<BlockContext>(_ctx, getState());
  enterRule(_localctx, 44, StapParser::RuleBlock);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(337);
    match(StapParser::LBRACE);
    setState(341);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while ((((_la & ~ 0x3fULL) == 0) &&
      ((1ULL << _la) & ((1ULL << StapParser::IF)
      | (1ULL << StapParser::WHILE)
      | (1ULL << StapParser::FOR)
      | (1ULL << StapParser::FOREACH)
      | (1ULL << StapParser::BREAK)
      | (1ULL << StapParser::CONTINUE)
      | (1ULL << StapParser::NEXT)
      | (1ULL << StapParser::RETURN)
      | (1ULL << StapParser::DELETE)
      | (1ULL << StapParser::TRY)
      | (1ULL << StapParser::EMBEDDED_C)
      | (1ULL << StapParser::HIST_LOG)
      | (1ULL << StapParser::HIST_LINEAR)
      | (1ULL << StapParser::AT_IDENT)
      | (1ULL << StapParser::IDENT)
      | (1ULL << StapParser::NUMBER)
      | (1ULL << StapParser::STRING)
      | (1ULL << StapParser::INC)
      | (1ULL << StapParser::DEC))) != 0) || ((((_la - 67) & ~ 0x3fULL) == 0) &&
      ((1ULL << (_la - 67)) & ((1ULL << (StapParser::PLUS - 67))
      | (1ULL << (StapParser::MINUS - 67))
      | (1ULL << (StapParser::AMP - 67))
      | (1ULL << (StapParser::TILDE - 67))
      | (1ULL << (StapParser::BANG - 67))
      | (1ULL << (StapParser::SEMI - 67))
      | (1ULL << (StapParser::LPAREN - 67))
      | (1ULL << (StapParser::LBRACK - 67))
      | (1ULL << (StapParser::LBRACE - 67)))) != 0)) {
      setState(338);
      statement();
      setState(343);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
    setState(344);
    match(StapParser::RBRACE);
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- StatementContext ------------------------------------------------------------------

StapParser::StatementContext::StatementContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}


size_t StapParser::StatementContext::getRuleIndex() const {
  return StapParser::RuleStatement;
}

void StapParser::StatementContext::copyFrom(StatementContext *ctx) {
  ParserRuleContext::copyFrom(ctx);
}

//----------------- ForStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::ForStmtContext::FOR() {
  return getToken(StapParser::FOR, 0);
}

tree::TerminalNode* StapParser::ForStmtContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

std::vector<tree::TerminalNode *> StapParser::ForStmtContext::SEMI() {
  return getTokens(StapParser::SEMI);
}

tree::TerminalNode* StapParser::ForStmtContext::SEMI(size_t i) {
  return getToken(StapParser::SEMI, i);
}

tree::TerminalNode* StapParser::ForStmtContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

StapParser::StatementContext* StapParser::ForStmtContext::statement() {
  return getRuleContext<StapParser::StatementContext>(0);
}

std::vector<StapParser::ExprContext *> StapParser::ForStmtContext::expr() {
  return getRuleContexts<StapParser::ExprContext>();
}

StapParser::ExprContext* StapParser::ForStmtContext::expr(size_t i) {
  return getRuleContext<StapParser::ExprContext>(i);
}

StapParser::ForStmtContext::ForStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- WhileStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::WhileStmtContext::WHILE() {
  return getToken(StapParser::WHILE, 0);
}

tree::TerminalNode* StapParser::WhileStmtContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

StapParser::ExprContext* StapParser::WhileStmtContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::WhileStmtContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

StapParser::StatementContext* StapParser::WhileStmtContext::statement() {
  return getRuleContext<StapParser::StatementContext>(0);
}

StapParser::WhileStmtContext::WhileStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- ForeachStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::ForeachStmtContext::FOREACH() {
  return getToken(StapParser::FOREACH, 0);
}

tree::TerminalNode* StapParser::ForeachStmtContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

StapParser::ForeachHeadContext* StapParser::ForeachStmtContext::foreachHead() {
  return getRuleContext<StapParser::ForeachHeadContext>(0);
}

tree::TerminalNode* StapParser::ForeachStmtContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

StapParser::StatementContext* StapParser::ForeachStmtContext::statement() {
  return getRuleContext<StapParser::StatementContext>(0);
}

StapParser::ForeachStmtContext::ForeachStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- TryStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::TryStmtContext::TRY() {
  return getToken(StapParser::TRY, 0);
}

std::vector<StapParser::BlockContext *> StapParser::TryStmtContext::block() {
  return getRuleContexts<StapParser::BlockContext>();
}

StapParser::BlockContext* StapParser::TryStmtContext::block(size_t i) {
  return getRuleContext<StapParser::BlockContext>(i);
}

tree::TerminalNode* StapParser::TryStmtContext::CATCH() {
  return getToken(StapParser::CATCH, 0);
}

tree::TerminalNode* StapParser::TryStmtContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

tree::TerminalNode* StapParser::TryStmtContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::TryStmtContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

StapParser::TryStmtContext::TryStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- EmbeddedStmtContext ------------------------------------------------------------------

StapParser::EmbeddedCContext* StapParser::EmbeddedStmtContext::embeddedC() {
  return getRuleContext<StapParser::EmbeddedCContext>(0);
}

StapParser::EmbeddedStmtContext::EmbeddedStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- ReturnStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::ReturnStmtContext::RETURN() {
  return getToken(StapParser::RETURN, 0);
}

StapParser::ExprContext* StapParser::ReturnStmtContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::ReturnStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::ReturnStmtContext::ReturnStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- NullStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::NullStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::NullStmtContext::NullStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- ExprStmtContext ------------------------------------------------------------------

StapParser::ExprContext* StapParser::ExprStmtContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::ExprStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::ExprStmtContext::ExprStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- IfStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::IfStmtContext::IF() {
  return getToken(StapParser::IF, 0);
}

tree::TerminalNode* StapParser::IfStmtContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

StapParser::ExprContext* StapParser::IfStmtContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::IfStmtContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

std::vector<StapParser::StatementContext *> StapParser::IfStmtContext::statement() {
  return getRuleContexts<StapParser::StatementContext>();
}

StapParser::StatementContext* StapParser::IfStmtContext::statement(size_t i) {
  return getRuleContext<StapParser::StatementContext>(i);
}

tree::TerminalNode* StapParser::IfStmtContext::ELSE() {
  return getToken(StapParser::ELSE, 0);
}

StapParser::IfStmtContext::IfStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- BlockStmtContext ------------------------------------------------------------------

StapParser::BlockContext* StapParser::BlockStmtContext::block() {
  return getRuleContext<StapParser::BlockContext>(0);
}

StapParser::BlockStmtContext::BlockStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- BreakStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::BreakStmtContext::BREAK() {
  return getToken(StapParser::BREAK, 0);
}

tree::TerminalNode* StapParser::BreakStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::BreakStmtContext::BreakStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- ContinueStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::ContinueStmtContext::CONTINUE() {
  return getToken(StapParser::CONTINUE, 0);
}

tree::TerminalNode* StapParser::ContinueStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::ContinueStmtContext::ContinueStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- NextStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::NextStmtContext::NEXT() {
  return getToken(StapParser::NEXT, 0);
}

tree::TerminalNode* StapParser::NextStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::NextStmtContext::NextStmtContext(StatementContext *ctx) { copyFrom(ctx); }


//----------------- DeleteStmtContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::DeleteStmtContext::DELETE() {
  return getToken(StapParser::DELETE, 0);
}

StapParser::ExprContext* StapParser::DeleteStmtContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::DeleteStmtContext::SEMI() {
  return getToken(StapParser::SEMI, 0);
}

StapParser::DeleteStmtContext::DeleteStmtContext(StatementContext *ctx) { copyFrom(ctx); }


StapParser::StatementContext* StapParser::statement() {
  StatementContext *_localctx = _tracker.createInstance<StatementContext>(_ctx, getState());
  enterRule(_localctx, 46, StapParser::RuleStatement);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(423);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::LBRACE: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::BlockStmtContext>(_localctx));
        enterOuterAlt(_localctx, 1);
        setState(346);
        block();
        break;
      }

      case StapParser::SEMI: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::NullStmtContext>(_localctx));
        enterOuterAlt(_localctx, 2);
        setState(347);
        match(StapParser::SEMI);
        break;
      }

      case StapParser::IF: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::IfStmtContext>(_localctx));
        enterOuterAlt(_localctx, 3);
        setState(348);
        match(StapParser::IF);
        setState(349);
        match(StapParser::LPAREN);
        setState(350);
        expr();
        setState(351);
        match(StapParser::RPAREN);
        setState(352);
        statement();
        setState(355);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 42, _ctx)) {
        case 1: {
          setState(353);
          match(StapParser::ELSE);
          setState(354);
          statement();
          break;
        }

        }
        break;
      }

      case StapParser::WHILE: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::WhileStmtContext>(_localctx));
        enterOuterAlt(_localctx, 4);
        setState(357);
        match(StapParser::WHILE);
        setState(358);
        match(StapParser::LPAREN);
        setState(359);
        expr();
        setState(360);
        match(StapParser::RPAREN);
        setState(361);
        statement();
        break;
      }

      case StapParser::FOR: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::ForStmtContext>(_localctx));
        enterOuterAlt(_localctx, 5);
        setState(363);
        match(StapParser::FOR);
        setState(364);
        match(StapParser::LPAREN);
        setState(366);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (((((_la - 29) & ~ 0x3fULL) == 0) &&
          ((1ULL << (_la - 29)) & ((1ULL << (StapParser::HIST_LOG - 29))
          | (1ULL << (StapParser::HIST_LINEAR - 29))
          | (1ULL << (StapParser::AT_IDENT - 29))
          | (1ULL << (StapParser::IDENT - 29))
          | (1ULL << (StapParser::NUMBER - 29))
          | (1ULL << (StapParser::STRING - 29))
          | (1ULL << (StapParser::INC - 29))
          | (1ULL << (StapParser::DEC - 29))
          | (1ULL << (StapParser::PLUS - 29))
          | (1ULL << (StapParser::MINUS - 29))
          | (1ULL << (StapParser::AMP - 29))
          | (1ULL << (StapParser::TILDE - 29))
          | (1ULL << (StapParser::BANG - 29))
          | (1ULL << (StapParser::LPAREN - 29))
          | (1ULL << (StapParser::LBRACK - 29)))) != 0)) {
          setState(365);
          dynamic_cast<ForStmtContext *>(_localctx)->init = expr();
        }
        setState(368);
        match(StapParser::SEMI);
        setState(370);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (((((_la - 29) & ~ 0x3fULL) == 0) &&
          ((1ULL << (_la - 29)) & ((1ULL << (StapParser::HIST_LOG - 29))
          | (1ULL << (StapParser::HIST_LINEAR - 29))
          | (1ULL << (StapParser::AT_IDENT - 29))
          | (1ULL << (StapParser::IDENT - 29))
          | (1ULL << (StapParser::NUMBER - 29))
          | (1ULL << (StapParser::STRING - 29))
          | (1ULL << (StapParser::INC - 29))
          | (1ULL << (StapParser::DEC - 29))
          | (1ULL << (StapParser::PLUS - 29))
          | (1ULL << (StapParser::MINUS - 29))
          | (1ULL << (StapParser::AMP - 29))
          | (1ULL << (StapParser::TILDE - 29))
          | (1ULL << (StapParser::BANG - 29))
          | (1ULL << (StapParser::LPAREN - 29))
          | (1ULL << (StapParser::LBRACK - 29)))) != 0)) {
          setState(369);
          dynamic_cast<ForStmtContext *>(_localctx)->cond = expr();
        }
        setState(372);
        match(StapParser::SEMI);
        setState(374);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (((((_la - 29) & ~ 0x3fULL) == 0) &&
          ((1ULL << (_la - 29)) & ((1ULL << (StapParser::HIST_LOG - 29))
          | (1ULL << (StapParser::HIST_LINEAR - 29))
          | (1ULL << (StapParser::AT_IDENT - 29))
          | (1ULL << (StapParser::IDENT - 29))
          | (1ULL << (StapParser::NUMBER - 29))
          | (1ULL << (StapParser::STRING - 29))
          | (1ULL << (StapParser::INC - 29))
          | (1ULL << (StapParser::DEC - 29))
          | (1ULL << (StapParser::PLUS - 29))
          | (1ULL << (StapParser::MINUS - 29))
          | (1ULL << (StapParser::AMP - 29))
          | (1ULL << (StapParser::TILDE - 29))
          | (1ULL << (StapParser::BANG - 29))
          | (1ULL << (StapParser::LPAREN - 29))
          | (1ULL << (StapParser::LBRACK - 29)))) != 0)) {
          setState(373);
          dynamic_cast<ForStmtContext *>(_localctx)->step = expr();
        }
        setState(376);
        match(StapParser::RPAREN);
        setState(377);
        statement();
        break;
      }

      case StapParser::FOREACH: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::ForeachStmtContext>(_localctx));
        enterOuterAlt(_localctx, 6);
        setState(378);
        match(StapParser::FOREACH);
        setState(379);
        match(StapParser::LPAREN);
        setState(380);
        foreachHead();
        setState(381);
        match(StapParser::RPAREN);
        setState(382);
        statement();
        break;
      }

      case StapParser::BREAK: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::BreakStmtContext>(_localctx));
        enterOuterAlt(_localctx, 7);
        setState(384);
        match(StapParser::BREAK);
        setState(386);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 46, _ctx)) {
        case 1: {
          setState(385);
          match(StapParser::SEMI);
          break;
        }

        }
        break;
      }

      case StapParser::CONTINUE: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::ContinueStmtContext>(_localctx));
        enterOuterAlt(_localctx, 8);
        setState(388);
        match(StapParser::CONTINUE);
        setState(390);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 47, _ctx)) {
        case 1: {
          setState(389);
          match(StapParser::SEMI);
          break;
        }

        }
        break;
      }

      case StapParser::NEXT: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::NextStmtContext>(_localctx));
        enterOuterAlt(_localctx, 9);
        setState(392);
        match(StapParser::NEXT);
        setState(394);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 48, _ctx)) {
        case 1: {
          setState(393);
          match(StapParser::SEMI);
          break;
        }

        }
        break;
      }

      case StapParser::RETURN: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::ReturnStmtContext>(_localctx));
        enterOuterAlt(_localctx, 10);
        setState(396);
        match(StapParser::RETURN);
        setState(398);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 49, _ctx)) {
        case 1: {
          setState(397);
          expr();
          break;
        }

        }
        setState(401);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 50, _ctx)) {
        case 1: {
          setState(400);
          match(StapParser::SEMI);
          break;
        }

        }
        break;
      }

      case StapParser::DELETE: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::DeleteStmtContext>(_localctx));
        enterOuterAlt(_localctx, 11);
        setState(403);
        match(StapParser::DELETE);
        setState(404);
        expr();
        setState(406);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 51, _ctx)) {
        case 1: {
          setState(405);
          match(StapParser::SEMI);
          break;
        }

        }
        break;
      }

      case StapParser::TRY: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::TryStmtContext>(_localctx));
        enterOuterAlt(_localctx, 12);
        setState(408);
        match(StapParser::TRY);
        setState(409);
        block();
        setState(410);
        match(StapParser::CATCH);
        setState(414);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (_la == StapParser::LPAREN) {
          setState(411);
          match(StapParser::LPAREN);
          setState(412);
          match(StapParser::IDENT);
          setState(413);
          match(StapParser::RPAREN);
        }
        setState(416);
        block();
        break;
      }

      case StapParser::EMBEDDED_C: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::EmbeddedStmtContext>(_localctx));
        enterOuterAlt(_localctx, 13);
        setState(418);
        embeddedC();
        break;
      }

      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR:
      case StapParser::AT_IDENT:
      case StapParser::IDENT:
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::INC:
      case StapParser::DEC:
      case StapParser::PLUS:
      case StapParser::MINUS:
      case StapParser::AMP:
      case StapParser::TILDE:
      case StapParser::BANG:
      case StapParser::LPAREN:
      case StapParser::LBRACK: {
        _localctx = dynamic_cast<StatementContext *>(_tracker.createInstance<StapParser::ExprStmtContext>(_localctx));
        enterOuterAlt(_localctx, 14);
        setState(419);
        expr();
        setState(421);
        _errHandler->sync(this);

        switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 53, _ctx)) {
        case 1: {
          setState(420);
          match(StapParser::SEMI);
          break;
        }

        }
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ForeachHeadContext ------------------------------------------------------------------

StapParser::ForeachHeadContext::ForeachHeadContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::ForeachKeysContext* StapParser::ForeachHeadContext::foreachKeys() {
  return getRuleContext<StapParser::ForeachKeysContext>(0);
}

tree::TerminalNode* StapParser::ForeachHeadContext::IN() {
  return getToken(StapParser::IN, 0);
}

StapParser::ForeachSourceContext* StapParser::ForeachHeadContext::foreachSource() {
  return getRuleContext<StapParser::ForeachSourceContext>(0);
}

tree::TerminalNode* StapParser::ForeachHeadContext::ASSIGN() {
  return getToken(StapParser::ASSIGN, 0);
}

tree::TerminalNode* StapParser::ForeachHeadContext::LIMIT() {
  return getToken(StapParser::LIMIT, 0);
}

tree::TerminalNode* StapParser::ForeachHeadContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::ForeachHeadContext::AT_IDENT() {
  return getToken(StapParser::AT_IDENT, 0);
}

std::vector<StapParser::SortMarkContext *> StapParser::ForeachHeadContext::sortMark() {
  return getRuleContexts<StapParser::SortMarkContext>();
}

StapParser::SortMarkContext* StapParser::ForeachHeadContext::sortMark(size_t i) {
  return getRuleContext<StapParser::SortMarkContext>(i);
}

StapParser::ExprContext* StapParser::ForeachHeadContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}


size_t StapParser::ForeachHeadContext::getRuleIndex() const {
  return StapParser::RuleForeachHead;
}


StapParser::ForeachHeadContext* StapParser::foreachHead() {
  ForeachHeadContext *_localctx = _tracker.createInstance<ForeachHeadContext>(_ctx, getState());
  enterRule(_localctx, 48, StapParser::RuleForeachHead);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(430);
    _errHandler->sync(this);

    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 56, _ctx)) {
    case 1: {
      setState(425);
      dynamic_cast<ForeachHeadContext *>(_localctx)->value = match(StapParser::IDENT);
      setState(427);
      _errHandler->sync(this);

      _la = _input->LA(1);
      if (_la == StapParser::PLUS

      || _la == StapParser::MINUS) {
        setState(426);
        dynamic_cast<ForeachHeadContext *>(_localctx)->valueSort = sortMark();
      }
      setState(429);
      match(StapParser::ASSIGN);
      break;
    }

    }
    setState(432);
    foreachKeys();
    setState(433);
    match(StapParser::IN);
    setState(434);
    foreachSource();
    setState(436);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::AT_IDENT) {
      setState(435);
      dynamic_cast<ForeachHeadContext *>(_localctx)->aggSort = match(StapParser::AT_IDENT);
    }
    setState(439);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::PLUS

    || _la == StapParser::MINUS) {
      setState(438);
      dynamic_cast<ForeachHeadContext *>(_localctx)->arraySort = sortMark();
    }
    setState(443);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::LIMIT) {
      setState(441);
      match(StapParser::LIMIT);
      setState(442);
      dynamic_cast<ForeachHeadContext *>(_localctx)->limitExpr = expr();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ForeachKeysContext ------------------------------------------------------------------

StapParser::ForeachKeysContext::ForeachKeysContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::ForeachKeyContext *> StapParser::ForeachKeysContext::foreachKey() {
  return getRuleContexts<StapParser::ForeachKeyContext>();
}

StapParser::ForeachKeyContext* StapParser::ForeachKeysContext::foreachKey(size_t i) {
  return getRuleContext<StapParser::ForeachKeyContext>(i);
}

tree::TerminalNode* StapParser::ForeachKeysContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

tree::TerminalNode* StapParser::ForeachKeysContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}

std::vector<tree::TerminalNode *> StapParser::ForeachKeysContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::ForeachKeysContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::ForeachKeysContext::getRuleIndex() const {
  return StapParser::RuleForeachKeys;
}


StapParser::ForeachKeysContext* StapParser::foreachKeys() {
  ForeachKeysContext *_localctx = _tracker.createInstance<ForeachKeysContext>(_ctx, getState());
  enterRule(_localctx, 50, StapParser::RuleForeachKeys);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(457);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::IDENT: {
        enterOuterAlt(_localctx, 1);
        setState(445);
        foreachKey();
        break;
      }

      case StapParser::LBRACK: {
        enterOuterAlt(_localctx, 2);
        setState(446);
        match(StapParser::LBRACK);
        setState(447);
        foreachKey();
        setState(452);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(448);
          match(StapParser::COMMA);
          setState(449);
          foreachKey();
          setState(454);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
        setState(455);
        match(StapParser::RBRACK);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ForeachKeyContext ------------------------------------------------------------------

StapParser::ForeachKeyContext::ForeachKeyContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::ForeachKeyContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

StapParser::SortMarkContext* StapParser::ForeachKeyContext::sortMark() {
  return getRuleContext<StapParser::SortMarkContext>(0);
}


size_t StapParser::ForeachKeyContext::getRuleIndex() const {
  return StapParser::RuleForeachKey;
}


StapParser::ForeachKeyContext* StapParser::foreachKey() {
  ForeachKeyContext *_localctx = _tracker.createInstance<ForeachKeyContext>(_ctx, getState());
  enterRule(_localctx, 52, StapParser::RuleForeachKey);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(459);
    match(StapParser::IDENT);
    setState(461);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::PLUS

    || _la == StapParser::MINUS) {
      setState(460);
      sortMark();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- SortMarkContext ------------------------------------------------------------------

StapParser::SortMarkContext::SortMarkContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::SortMarkContext::PLUS() {
  return getToken(StapParser::PLUS, 0);
}

tree::TerminalNode* StapParser::SortMarkContext::MINUS() {
  return getToken(StapParser::MINUS, 0);
}


size_t StapParser::SortMarkContext::getRuleIndex() const {
  return StapParser::RuleSortMark;
}


StapParser::SortMarkContext* StapParser::sortMark() {
  SortMarkContext *_localctx = _tracker.createInstance<SortMarkContext>(_ctx, getState());
  enterRule(_localctx, 54, StapParser::RuleSortMark);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(463);
    _la = _input->LA(1);
    if (!(_la == StapParser::PLUS

    || _la == StapParser::MINUS)) {
    _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ForeachSourceContext ------------------------------------------------------------------

StapParser::ForeachSourceContext::ForeachSourceContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::ForeachSourceContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::ForeachSourceContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

std::vector<StapParser::SliceKeyContext *> StapParser::ForeachSourceContext::sliceKey() {
  return getRuleContexts<StapParser::SliceKeyContext>();
}

StapParser::SliceKeyContext* StapParser::ForeachSourceContext::sliceKey(size_t i) {
  return getRuleContext<StapParser::SliceKeyContext>(i);
}

tree::TerminalNode* StapParser::ForeachSourceContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}

std::vector<tree::TerminalNode *> StapParser::ForeachSourceContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::ForeachSourceContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}

StapParser::HistogramOpContext* StapParser::ForeachSourceContext::histogramOp() {
  return getRuleContext<StapParser::HistogramOpContext>(0);
}


size_t StapParser::ForeachSourceContext::getRuleIndex() const {
  return StapParser::RuleForeachSource;
}


StapParser::ForeachSourceContext* StapParser::foreachSource() {
  ForeachSourceContext *_localctx = _tracker.createInstance<ForeachSourceContext>(_ctx, getState());
  enterRule(_localctx, 56, StapParser::RuleForeachSource);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(480);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::IDENT: {
        enterOuterAlt(_localctx, 1);
        setState(465);
        match(StapParser::IDENT);
        setState(477);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (_la == StapParser::LBRACK) {
          setState(466);
          match(StapParser::LBRACK);
          setState(467);
          sliceKey();
          setState(472);
          _errHandler->sync(this);
          _la = _input->LA(1);
          while (_la == StapParser::COMMA) {
            setState(468);
            match(StapParser::COMMA);
            setState(469);
            sliceKey();
            setState(474);
            _errHandler->sync(this);
            _la = _input->LA(1);
          }
          setState(475);
          match(StapParser::RBRACK);
        }
        break;
      }

      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR: {
        enterOuterAlt(_localctx, 2);
        setState(479);
        histogramOp();
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- SliceKeyContext ------------------------------------------------------------------

StapParser::SliceKeyContext::SliceKeyContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::SliceKeyContext::STAR() {
  return getToken(StapParser::STAR, 0);
}

StapParser::ExprContext* StapParser::SliceKeyContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}


size_t StapParser::SliceKeyContext::getRuleIndex() const {
  return StapParser::RuleSliceKey;
}


StapParser::SliceKeyContext* StapParser::sliceKey() {
  SliceKeyContext *_localctx = _tracker.createInstance<SliceKeyContext>(_ctx, getState());
  enterRule(_localctx, 58, StapParser::RuleSliceKey);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(484);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::STAR: {
        enterOuterAlt(_localctx, 1);
        setState(482);
        match(StapParser::STAR);
        break;
      }

      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR:
      case StapParser::AT_IDENT:
      case StapParser::IDENT:
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::INC:
      case StapParser::DEC:
      case StapParser::PLUS:
      case StapParser::MINUS:
      case StapParser::AMP:
      case StapParser::TILDE:
      case StapParser::BANG:
      case StapParser::LPAREN:
      case StapParser::LBRACK: {
        enterOuterAlt(_localctx, 2);
        setState(483);
        expr();
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ExprContext ------------------------------------------------------------------

StapParser::ExprContext::ExprContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::AssignmentContext* StapParser::ExprContext::assignment() {
  return getRuleContext<StapParser::AssignmentContext>(0);
}


size_t StapParser::ExprContext::getRuleIndex() const {
  return StapParser::RuleExpr;
}


StapParser::ExprContext* StapParser::expr() {
  ExprContext *_localctx = _tracker.createInstance<ExprContext>(_ctx, getState());
  enterRule(_localctx, 60, StapParser::RuleExpr);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(486);
    assignment();
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- AssignmentContext ------------------------------------------------------------------

StapParser::AssignmentContext::AssignmentContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::TernaryContext* StapParser::AssignmentContext::ternary() {
  return getRuleContext<StapParser::TernaryContext>(0);
}

StapParser::AssignmentContext* StapParser::AssignmentContext::assignment() {
  return getRuleContext<StapParser::AssignmentContext>(0);
}

tree::TerminalNode* StapParser::AssignmentContext::ASSIGN() {
  return getToken(StapParser::ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::ADD_ASSIGN() {
  return getToken(StapParser::ADD_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::SUB_ASSIGN() {
  return getToken(StapParser::SUB_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::MUL_ASSIGN() {
  return getToken(StapParser::MUL_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::DIV_ASSIGN() {
  return getToken(StapParser::DIV_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::MOD_ASSIGN() {
  return getToken(StapParser::MOD_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::SHL_ASSIGN() {
  return getToken(StapParser::SHL_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::SHR_ASSIGN() {
  return getToken(StapParser::SHR_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::SHR3_ASSIGN() {
  return getToken(StapParser::SHR3_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::AND_ASSIGN() {
  return getToken(StapParser::AND_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::OR_ASSIGN() {
  return getToken(StapParser::OR_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::XOR_ASSIGN() {
  return getToken(StapParser::XOR_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::CAT_ASSIGN() {
  return getToken(StapParser::CAT_ASSIGN, 0);
}

tree::TerminalNode* StapParser::AssignmentContext::SHL3() {
  return getToken(StapParser::SHL3, 0);
}


size_t StapParser::AssignmentContext::getRuleIndex() const {
  return StapParser::RuleAssignment;
}


StapParser::AssignmentContext* StapParser::assignment() {
  AssignmentContext *_localctx = _tracker.createInstance<AssignmentContext>(_ctx, getState());
  enterRule(_localctx, 62, StapParser::RuleAssignment);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(488);
    ternary();
    setState(491);
    _errHandler->sync(this);

    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 67, _ctx)) {
    case 1: {
      setState(489);
      dynamic_cast<AssignmentContext *>(_localctx)->op = _input->LT(1);
      _la = _input->LA(1);
      if (!(((((_la - 37) & ~ 0x3fULL) == 0) &&
        ((1ULL << (_la - 37)) & ((1ULL << (StapParser::SHL3 - 37))
        | (1ULL << (StapParser::SHR3_ASSIGN - 37))
        | (1ULL << (StapParser::SHL_ASSIGN - 37))
        | (1ULL << (StapParser::SHR_ASSIGN - 37))
        | (1ULL << (StapParser::ADD_ASSIGN - 37))
        | (1ULL << (StapParser::SUB_ASSIGN - 37))
        | (1ULL << (StapParser::MUL_ASSIGN - 37))
        | (1ULL << (StapParser::DIV_ASSIGN - 37))
        | (1ULL << (StapParser::MOD_ASSIGN - 37))
        | (1ULL << (StapParser::AND_ASSIGN - 37))
        | (1ULL << (StapParser::OR_ASSIGN - 37))
        | (1ULL << (StapParser::XOR_ASSIGN - 37))
        | (1ULL << (StapParser::CAT_ASSIGN - 37))
        | (1ULL << (StapParser::ASSIGN - 37)))) != 0))) {
        dynamic_cast<AssignmentContext *>(_localctx)->op = _errHandler->recoverInline(this);
      }
      else {
        _errHandler->reportMatch(this);
        consume();
      }
      setState(490);
      assignment();
      break;
    }

    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- TernaryContext ------------------------------------------------------------------

StapParser::TernaryContext::TernaryContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::LogicalOrContext* StapParser::TernaryContext::logicalOr() {
  return getRuleContext<StapParser::LogicalOrContext>(0);
}

tree::TerminalNode* StapParser::TernaryContext::QUESTION() {
  return getToken(StapParser::QUESTION, 0);
}

std::vector<StapParser::ExprContext *> StapParser::TernaryContext::expr() {
  return getRuleContexts<StapParser::ExprContext>();
}

StapParser::ExprContext* StapParser::TernaryContext::expr(size_t i) {
  return getRuleContext<StapParser::ExprContext>(i);
}

tree::TerminalNode* StapParser::TernaryContext::COLON() {
  return getToken(StapParser::COLON, 0);
}


size_t StapParser::TernaryContext::getRuleIndex() const {
  return StapParser::RuleTernary;
}


StapParser::TernaryContext* StapParser::ternary() {
  TernaryContext *_localctx = _tracker.createInstance<TernaryContext>(_ctx, getState());
  enterRule(_localctx, 64, StapParser::RuleTernary);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(493);
    logicalOr();
    setState(499);
    _errHandler->sync(this);

    _la = _input->LA(1);
    if (_la == StapParser::QUESTION) {
      setState(494);
      match(StapParser::QUESTION);
      setState(495);
      expr();
      setState(496);
      match(StapParser::COLON);
      setState(497);
      expr();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- LogicalOrContext ------------------------------------------------------------------

StapParser::LogicalOrContext::LogicalOrContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::LogicalAndContext *> StapParser::LogicalOrContext::logicalAnd() {
  return getRuleContexts<StapParser::LogicalAndContext>();
}

StapParser::LogicalAndContext* StapParser::LogicalOrContext::logicalAnd(size_t i) {
  return getRuleContext<StapParser::LogicalAndContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::LogicalOrContext::OROR() {
  return getTokens(StapParser::OROR);
}

tree::TerminalNode* StapParser::LogicalOrContext::OROR(size_t i) {
  return getToken(StapParser::OROR, i);
}


size_t StapParser::LogicalOrContext::getRuleIndex() const {
  return StapParser::RuleLogicalOr;
}


StapParser::LogicalOrContext* StapParser::logicalOr() {
  LogicalOrContext *_localctx = _tracker.createInstance<LogicalOrContext>(_ctx, getState());
  enterRule(_localctx, 66, StapParser::RuleLogicalOr);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(501);
    logicalAnd();
    setState(506);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::OROR) {
      setState(502);
      match(StapParser::OROR);
      setState(503);
      logicalAnd();
      setState(508);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- LogicalAndContext ------------------------------------------------------------------

StapParser::LogicalAndContext::LogicalAndContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::BitOrContext *> StapParser::LogicalAndContext::bitOr() {
  return getRuleContexts<StapParser::BitOrContext>();
}

StapParser::BitOrContext* StapParser::LogicalAndContext::bitOr(size_t i) {
  return getRuleContext<StapParser::BitOrContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::LogicalAndContext::ANDAND() {
  return getTokens(StapParser::ANDAND);
}

tree::TerminalNode* StapParser::LogicalAndContext::ANDAND(size_t i) {
  return getToken(StapParser::ANDAND, i);
}


size_t StapParser::LogicalAndContext::getRuleIndex() const {
  return StapParser::RuleLogicalAnd;
}


StapParser::LogicalAndContext* StapParser::logicalAnd() {
  LogicalAndContext *_localctx = _tracker.createInstance<LogicalAndContext>(_ctx, getState());
  enterRule(_localctx, 68, StapParser::RuleLogicalAnd);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(509);
    bitOr();
    setState(514);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::ANDAND) {
      setState(510);
      match(StapParser::ANDAND);
      setState(511);
      bitOr();
      setState(516);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- BitOrContext ------------------------------------------------------------------

StapParser::BitOrContext::BitOrContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::BitXorContext *> StapParser::BitOrContext::bitXor() {
  return getRuleContexts<StapParser::BitXorContext>();
}

StapParser::BitXorContext* StapParser::BitOrContext::bitXor(size_t i) {
  return getRuleContext<StapParser::BitXorContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::BitOrContext::PIPE() {
  return getTokens(StapParser::PIPE);
}

tree::TerminalNode* StapParser::BitOrContext::PIPE(size_t i) {
  return getToken(StapParser::PIPE, i);
}


size_t StapParser::BitOrContext::getRuleIndex() const {
  return StapParser::RuleBitOr;
}


StapParser::BitOrContext* StapParser::bitOr() {
  BitOrContext *_localctx = _tracker.createInstance<BitOrContext>(_ctx, getState());
  enterRule(_localctx, 70, StapParser::RuleBitOr);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(517);
    bitXor();
    setState(522);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::PIPE) {
      setState(518);
      match(StapParser::PIPE);
      setState(519);
      bitXor();
      setState(524);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- BitXorContext ------------------------------------------------------------------

StapParser::BitXorContext::BitXorContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::BitAndContext *> StapParser::BitXorContext::bitAnd() {
  return getRuleContexts<StapParser::BitAndContext>();
}

StapParser::BitAndContext* StapParser::BitXorContext::bitAnd(size_t i) {
  return getRuleContext<StapParser::BitAndContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::BitXorContext::CARET() {
  return getTokens(StapParser::CARET);
}

tree::TerminalNode* StapParser::BitXorContext::CARET(size_t i) {
  return getToken(StapParser::CARET, i);
}


size_t StapParser::BitXorContext::getRuleIndex() const {
  return StapParser::RuleBitXor;
}


StapParser::BitXorContext* StapParser::bitXor() {
  BitXorContext *_localctx = _tracker.createInstance<BitXorContext>(_ctx, getState());
  enterRule(_localctx, 72, StapParser::RuleBitXor);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(525);
    bitAnd();
    setState(530);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::CARET) {
      setState(526);
      match(StapParser::CARET);
      setState(527);
      bitAnd();
      setState(532);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- BitAndContext ------------------------------------------------------------------

StapParser::BitAndContext::BitAndContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::ArrayInContext *> StapParser::BitAndContext::arrayIn() {
  return getRuleContexts<StapParser::ArrayInContext>();
}

StapParser::ArrayInContext* StapParser::BitAndContext::arrayIn(size_t i) {
  return getRuleContext<StapParser::ArrayInContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::BitAndContext::AMP() {
  return getTokens(StapParser::AMP);
}

tree::TerminalNode* StapParser::BitAndContext::AMP(size_t i) {
  return getToken(StapParser::AMP, i);
}


size_t StapParser::BitAndContext::getRuleIndex() const {
  return StapParser::RuleBitAnd;
}


StapParser::BitAndContext* StapParser::bitAnd() {
  BitAndContext *_localctx = _tracker.createInstance<BitAndContext>(_ctx, getState());
  enterRule(_localctx, 74, StapParser::RuleBitAnd);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    size_t alt;
    enterOuterAlt(_localctx, 1);
    setState(533);
    arrayIn();
    setState(538);
    _errHandler->sync(this);
    alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 73, _ctx);
    while (alt != 2 && alt != atn::ATN::INVALID_ALT_NUMBER) {
      if (alt == 1) {
        setState(534);
        match(StapParser::AMP);
        setState(535);
        arrayIn(); 
      }
      setState(540);
      _errHandler->sync(this);
      alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 73, _ctx);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ArrayInContext ------------------------------------------------------------------

StapParser::ArrayInContext::ArrayInContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::ComparisonContext* StapParser::ArrayInContext::comparison() {
  return getRuleContext<StapParser::ComparisonContext>(0);
}

tree::TerminalNode* StapParser::ArrayInContext::IN() {
  return getToken(StapParser::IN, 0);
}

tree::TerminalNode* StapParser::ArrayInContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::ArrayInContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

std::vector<StapParser::InKeyContext *> StapParser::ArrayInContext::inKey() {
  return getRuleContexts<StapParser::InKeyContext>();
}

StapParser::InKeyContext* StapParser::ArrayInContext::inKey(size_t i) {
  return getRuleContext<StapParser::InKeyContext>(i);
}

tree::TerminalNode* StapParser::ArrayInContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}

std::vector<tree::TerminalNode *> StapParser::ArrayInContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::ArrayInContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::ArrayInContext::getRuleIndex() const {
  return StapParser::RuleArrayIn;
}


StapParser::ArrayInContext* StapParser::arrayIn() {
  ArrayInContext *_localctx = _tracker.createInstance<ArrayInContext>(_ctx, getState());
  enterRule(_localctx, 76, StapParser::RuleArrayIn);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(559);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR:
      case StapParser::AT_IDENT:
      case StapParser::IDENT:
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::INC:
      case StapParser::DEC:
      case StapParser::PLUS:
      case StapParser::MINUS:
      case StapParser::AMP:
      case StapParser::TILDE:
      case StapParser::BANG:
      case StapParser::LPAREN: {
        enterOuterAlt(_localctx, 1);
        setState(541);
        comparison();
        setState(544);
        _errHandler->sync(this);

        _la = _input->LA(1);
        if (_la == StapParser::IN) {
          setState(542);
          match(StapParser::IN);
          setState(543);
          match(StapParser::IDENT);
        }
        break;
      }

      case StapParser::LBRACK: {
        enterOuterAlt(_localctx, 2);
        setState(546);
        match(StapParser::LBRACK);
        setState(547);
        inKey();
        setState(552);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(548);
          match(StapParser::COMMA);
          setState(549);
          inKey();
          setState(554);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
        setState(555);
        match(StapParser::RBRACK);
        setState(556);
        match(StapParser::IN);
        setState(557);
        match(StapParser::IDENT);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- InKeyContext ------------------------------------------------------------------

StapParser::InKeyContext::InKeyContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::InKeyContext::STAR() {
  return getToken(StapParser::STAR, 0);
}

StapParser::ExprContext* StapParser::InKeyContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}


size_t StapParser::InKeyContext::getRuleIndex() const {
  return StapParser::RuleInKey;
}


StapParser::InKeyContext* StapParser::inKey() {
  InKeyContext *_localctx = _tracker.createInstance<InKeyContext>(_ctx, getState());
  enterRule(_localctx, 78, StapParser::RuleInKey);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(563);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::STAR: {
        enterOuterAlt(_localctx, 1);
        setState(561);
        match(StapParser::STAR);
        break;
      }

      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR:
      case StapParser::AT_IDENT:
      case StapParser::IDENT:
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::INC:
      case StapParser::DEC:
      case StapParser::PLUS:
      case StapParser::MINUS:
      case StapParser::AMP:
      case StapParser::TILDE:
      case StapParser::BANG:
      case StapParser::LPAREN:
      case StapParser::LBRACK: {
        enterOuterAlt(_localctx, 2);
        setState(562);
        expr();
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- IndexKeyContext ------------------------------------------------------------------

StapParser::IndexKeyContext::IndexKeyContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::IndexKeyContext::STAR() {
  return getToken(StapParser::STAR, 0);
}

StapParser::ExprContext* StapParser::IndexKeyContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}


size_t StapParser::IndexKeyContext::getRuleIndex() const {
  return StapParser::RuleIndexKey;
}


StapParser::IndexKeyContext* StapParser::indexKey() {
  IndexKeyContext *_localctx = _tracker.createInstance<IndexKeyContext>(_ctx, getState());
  enterRule(_localctx, 80, StapParser::RuleIndexKey);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(567);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::STAR: {
        enterOuterAlt(_localctx, 1);
        setState(565);
        match(StapParser::STAR);
        break;
      }

      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR:
      case StapParser::AT_IDENT:
      case StapParser::IDENT:
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::INC:
      case StapParser::DEC:
      case StapParser::PLUS:
      case StapParser::MINUS:
      case StapParser::AMP:
      case StapParser::TILDE:
      case StapParser::BANG:
      case StapParser::LPAREN:
      case StapParser::LBRACK: {
        enterOuterAlt(_localctx, 2);
        setState(566);
        expr();
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ComparisonContext ------------------------------------------------------------------

StapParser::ComparisonContext::ComparisonContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::ShiftContext *> StapParser::ComparisonContext::shift() {
  return getRuleContexts<StapParser::ShiftContext>();
}

StapParser::ShiftContext* StapParser::ComparisonContext::shift(size_t i) {
  return getRuleContext<StapParser::ShiftContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::LT() {
  return getTokens(StapParser::LT);
}

tree::TerminalNode* StapParser::ComparisonContext::LT(size_t i) {
  return getToken(StapParser::LT, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::GT() {
  return getTokens(StapParser::GT);
}

tree::TerminalNode* StapParser::ComparisonContext::GT(size_t i) {
  return getToken(StapParser::GT, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::LE() {
  return getTokens(StapParser::LE);
}

tree::TerminalNode* StapParser::ComparisonContext::LE(size_t i) {
  return getToken(StapParser::LE, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::GE() {
  return getTokens(StapParser::GE);
}

tree::TerminalNode* StapParser::ComparisonContext::GE(size_t i) {
  return getToken(StapParser::GE, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::EQ() {
  return getTokens(StapParser::EQ);
}

tree::TerminalNode* StapParser::ComparisonContext::EQ(size_t i) {
  return getToken(StapParser::EQ, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::NE() {
  return getTokens(StapParser::NE);
}

tree::TerminalNode* StapParser::ComparisonContext::NE(size_t i) {
  return getToken(StapParser::NE, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::MATCH() {
  return getTokens(StapParser::MATCH);
}

tree::TerminalNode* StapParser::ComparisonContext::MATCH(size_t i) {
  return getToken(StapParser::MATCH, i);
}

std::vector<tree::TerminalNode *> StapParser::ComparisonContext::NOMATCH() {
  return getTokens(StapParser::NOMATCH);
}

tree::TerminalNode* StapParser::ComparisonContext::NOMATCH(size_t i) {
  return getToken(StapParser::NOMATCH, i);
}


size_t StapParser::ComparisonContext::getRuleIndex() const {
  return StapParser::RuleComparison;
}


StapParser::ComparisonContext* StapParser::comparison() {
  ComparisonContext *_localctx = _tracker.createInstance<ComparisonContext>(_ctx, getState());
  enterRule(_localctx, 82, StapParser::RuleComparison);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(569);
    shift();
    setState(574);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (((((_la - 56) & ~ 0x3fULL) == 0) &&
      ((1ULL << (_la - 56)) & ((1ULL << (StapParser::EQ - 56))
      | (1ULL << (StapParser::NE - 56))
      | (1ULL << (StapParser::LE - 56))
      | (1ULL << (StapParser::GE - 56))
      | (1ULL << (StapParser::MATCH - 56))
      | (1ULL << (StapParser::NOMATCH - 56))
      | (1ULL << (StapParser::LT - 56))
      | (1ULL << (StapParser::GT - 56)))) != 0)) {
      setState(570);
      dynamic_cast<ComparisonContext *>(_localctx)->op = _input->LT(1);
      _la = _input->LA(1);
      if (!(((((_la - 56) & ~ 0x3fULL) == 0) &&
        ((1ULL << (_la - 56)) & ((1ULL << (StapParser::EQ - 56))
        | (1ULL << (StapParser::NE - 56))
        | (1ULL << (StapParser::LE - 56))
        | (1ULL << (StapParser::GE - 56))
        | (1ULL << (StapParser::MATCH - 56))
        | (1ULL << (StapParser::NOMATCH - 56))
        | (1ULL << (StapParser::LT - 56))
        | (1ULL << (StapParser::GT - 56)))) != 0))) {
        dynamic_cast<ComparisonContext *>(_localctx)->op = _errHandler->recoverInline(this);
      }
      else {
        _errHandler->reportMatch(this);
        consume();
      }
      setState(571);
      shift();
      setState(576);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ShiftContext ------------------------------------------------------------------

StapParser::ShiftContext::ShiftContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::ConcatContext *> StapParser::ShiftContext::concat() {
  return getRuleContexts<StapParser::ConcatContext>();
}

StapParser::ConcatContext* StapParser::ShiftContext::concat(size_t i) {
  return getRuleContext<StapParser::ConcatContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::ShiftContext::SHL() {
  return getTokens(StapParser::SHL);
}

tree::TerminalNode* StapParser::ShiftContext::SHL(size_t i) {
  return getToken(StapParser::SHL, i);
}

std::vector<tree::TerminalNode *> StapParser::ShiftContext::SHR() {
  return getTokens(StapParser::SHR);
}

tree::TerminalNode* StapParser::ShiftContext::SHR(size_t i) {
  return getToken(StapParser::SHR, i);
}

std::vector<tree::TerminalNode *> StapParser::ShiftContext::SHR3() {
  return getTokens(StapParser::SHR3);
}

tree::TerminalNode* StapParser::ShiftContext::SHR3(size_t i) {
  return getToken(StapParser::SHR3, i);
}


size_t StapParser::ShiftContext::getRuleIndex() const {
  return StapParser::RuleShift;
}


StapParser::ShiftContext* StapParser::shift() {
  ShiftContext *_localctx = _tracker.createInstance<ShiftContext>(_ctx, getState());
  enterRule(_localctx, 84, StapParser::RuleShift);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(577);
    concat();
    setState(582);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while ((((_la & ~ 0x3fULL) == 0) &&
      ((1ULL << _la) & ((1ULL << StapParser::SHR3)
      | (1ULL << StapParser::SHL)
      | (1ULL << StapParser::SHR))) != 0)) {
      setState(578);
      dynamic_cast<ShiftContext *>(_localctx)->op = _input->LT(1);
      _la = _input->LA(1);
      if (!((((_la & ~ 0x3fULL) == 0) &&
        ((1ULL << _la) & ((1ULL << StapParser::SHR3)
        | (1ULL << StapParser::SHL)
        | (1ULL << StapParser::SHR))) != 0))) {
        dynamic_cast<ShiftContext *>(_localctx)->op = _errHandler->recoverInline(this);
      }
      else {
        _errHandler->reportMatch(this);
        consume();
      }
      setState(579);
      concat();
      setState(584);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- ConcatContext ------------------------------------------------------------------

StapParser::ConcatContext::ConcatContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::AdditiveContext *> StapParser::ConcatContext::additive() {
  return getRuleContexts<StapParser::AdditiveContext>();
}

StapParser::AdditiveContext* StapParser::ConcatContext::additive(size_t i) {
  return getRuleContext<StapParser::AdditiveContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::ConcatContext::DOT() {
  return getTokens(StapParser::DOT);
}

tree::TerminalNode* StapParser::ConcatContext::DOT(size_t i) {
  return getToken(StapParser::DOT, i);
}


size_t StapParser::ConcatContext::getRuleIndex() const {
  return StapParser::RuleConcat;
}


StapParser::ConcatContext* StapParser::concat() {
  ConcatContext *_localctx = _tracker.createInstance<ConcatContext>(_ctx, getState());
  enterRule(_localctx, 86, StapParser::RuleConcat);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(585);
    additive();
    setState(590);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::DOT) {
      setState(586);
      match(StapParser::DOT);
      setState(587);
      additive();
      setState(592);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- AdditiveContext ------------------------------------------------------------------

StapParser::AdditiveContext::AdditiveContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::MultiplicativeContext *> StapParser::AdditiveContext::multiplicative() {
  return getRuleContexts<StapParser::MultiplicativeContext>();
}

StapParser::MultiplicativeContext* StapParser::AdditiveContext::multiplicative(size_t i) {
  return getRuleContext<StapParser::MultiplicativeContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::AdditiveContext::PLUS() {
  return getTokens(StapParser::PLUS);
}

tree::TerminalNode* StapParser::AdditiveContext::PLUS(size_t i) {
  return getToken(StapParser::PLUS, i);
}

std::vector<tree::TerminalNode *> StapParser::AdditiveContext::MINUS() {
  return getTokens(StapParser::MINUS);
}

tree::TerminalNode* StapParser::AdditiveContext::MINUS(size_t i) {
  return getToken(StapParser::MINUS, i);
}


size_t StapParser::AdditiveContext::getRuleIndex() const {
  return StapParser::RuleAdditive;
}


StapParser::AdditiveContext* StapParser::additive() {
  AdditiveContext *_localctx = _tracker.createInstance<AdditiveContext>(_ctx, getState());
  enterRule(_localctx, 88, StapParser::RuleAdditive);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    size_t alt;
    enterOuterAlt(_localctx, 1);
    setState(593);
    multiplicative();
    setState(598);
    _errHandler->sync(this);
    alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 82, _ctx);
    while (alt != 2 && alt != atn::ATN::INVALID_ALT_NUMBER) {
      if (alt == 1) {
        setState(594);
        dynamic_cast<AdditiveContext *>(_localctx)->op = _input->LT(1);
        _la = _input->LA(1);
        if (!(_la == StapParser::PLUS

        || _la == StapParser::MINUS)) {
          dynamic_cast<AdditiveContext *>(_localctx)->op = _errHandler->recoverInline(this);
        }
        else {
          _errHandler->reportMatch(this);
          consume();
        }
        setState(595);
        multiplicative(); 
      }
      setState(600);
      _errHandler->sync(this);
      alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 82, _ctx);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- MultiplicativeContext ------------------------------------------------------------------

StapParser::MultiplicativeContext::MultiplicativeContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

std::vector<StapParser::UnaryContext *> StapParser::MultiplicativeContext::unary() {
  return getRuleContexts<StapParser::UnaryContext>();
}

StapParser::UnaryContext* StapParser::MultiplicativeContext::unary(size_t i) {
  return getRuleContext<StapParser::UnaryContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::MultiplicativeContext::STAR() {
  return getTokens(StapParser::STAR);
}

tree::TerminalNode* StapParser::MultiplicativeContext::STAR(size_t i) {
  return getToken(StapParser::STAR, i);
}

std::vector<tree::TerminalNode *> StapParser::MultiplicativeContext::SLASH() {
  return getTokens(StapParser::SLASH);
}

tree::TerminalNode* StapParser::MultiplicativeContext::SLASH(size_t i) {
  return getToken(StapParser::SLASH, i);
}

std::vector<tree::TerminalNode *> StapParser::MultiplicativeContext::PERCENT() {
  return getTokens(StapParser::PERCENT);
}

tree::TerminalNode* StapParser::MultiplicativeContext::PERCENT(size_t i) {
  return getToken(StapParser::PERCENT, i);
}


size_t StapParser::MultiplicativeContext::getRuleIndex() const {
  return StapParser::RuleMultiplicative;
}


StapParser::MultiplicativeContext* StapParser::multiplicative() {
  MultiplicativeContext *_localctx = _tracker.createInstance<MultiplicativeContext>(_ctx, getState());
  enterRule(_localctx, 90, StapParser::RuleMultiplicative);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(601);
    unary();
    setState(606);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (((((_la - 69) & ~ 0x3fULL) == 0) &&
      ((1ULL << (_la - 69)) & ((1ULL << (StapParser::STAR - 69))
      | (1ULL << (StapParser::SLASH - 69))
      | (1ULL << (StapParser::PERCENT - 69)))) != 0)) {
      setState(602);
      dynamic_cast<MultiplicativeContext *>(_localctx)->op = _input->LT(1);
      _la = _input->LA(1);
      if (!(((((_la - 69) & ~ 0x3fULL) == 0) &&
        ((1ULL << (_la - 69)) & ((1ULL << (StapParser::STAR - 69))
        | (1ULL << (StapParser::SLASH - 69))
        | (1ULL << (StapParser::PERCENT - 69)))) != 0))) {
        dynamic_cast<MultiplicativeContext *>(_localctx)->op = _errHandler->recoverInline(this);
      }
      else {
        _errHandler->reportMatch(this);
        consume();
      }
      setState(603);
      unary();
      setState(608);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- UnaryContext ------------------------------------------------------------------

StapParser::UnaryContext::UnaryContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::UnaryContext* StapParser::UnaryContext::unary() {
  return getRuleContext<StapParser::UnaryContext>(0);
}

tree::TerminalNode* StapParser::UnaryContext::PLUS() {
  return getToken(StapParser::PLUS, 0);
}

tree::TerminalNode* StapParser::UnaryContext::MINUS() {
  return getToken(StapParser::MINUS, 0);
}

tree::TerminalNode* StapParser::UnaryContext::BANG() {
  return getToken(StapParser::BANG, 0);
}

tree::TerminalNode* StapParser::UnaryContext::TILDE() {
  return getToken(StapParser::TILDE, 0);
}

tree::TerminalNode* StapParser::UnaryContext::AMP() {
  return getToken(StapParser::AMP, 0);
}

tree::TerminalNode* StapParser::UnaryContext::INC() {
  return getToken(StapParser::INC, 0);
}

tree::TerminalNode* StapParser::UnaryContext::DEC() {
  return getToken(StapParser::DEC, 0);
}

StapParser::PostfixContext* StapParser::UnaryContext::postfix() {
  return getRuleContext<StapParser::PostfixContext>(0);
}


size_t StapParser::UnaryContext::getRuleIndex() const {
  return StapParser::RuleUnary;
}


StapParser::UnaryContext* StapParser::unary() {
  UnaryContext *_localctx = _tracker.createInstance<UnaryContext>(_ctx, getState());
  enterRule(_localctx, 92, StapParser::RuleUnary);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(614);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::PLUS:
      case StapParser::MINUS:
      case StapParser::AMP:
      case StapParser::TILDE:
      case StapParser::BANG: {
        enterOuterAlt(_localctx, 1);
        setState(609);
        dynamic_cast<UnaryContext *>(_localctx)->op = _input->LT(1);
        _la = _input->LA(1);
        if (!(((((_la - 67) & ~ 0x3fULL) == 0) &&
          ((1ULL << (_la - 67)) & ((1ULL << (StapParser::PLUS - 67))
          | (1ULL << (StapParser::MINUS - 67))
          | (1ULL << (StapParser::AMP - 67))
          | (1ULL << (StapParser::TILDE - 67))
          | (1ULL << (StapParser::BANG - 67)))) != 0))) {
          dynamic_cast<UnaryContext *>(_localctx)->op = _errHandler->recoverInline(this);
        }
        else {
          _errHandler->reportMatch(this);
          consume();
        }
        setState(610);
        unary();
        break;
      }

      case StapParser::INC:
      case StapParser::DEC: {
        enterOuterAlt(_localctx, 2);
        setState(611);
        dynamic_cast<UnaryContext *>(_localctx)->op = _input->LT(1);
        _la = _input->LA(1);
        if (!(_la == StapParser::INC

        || _la == StapParser::DEC)) {
          dynamic_cast<UnaryContext *>(_localctx)->op = _errHandler->recoverInline(this);
        }
        else {
          _errHandler->reportMatch(this);
          consume();
        }
        setState(612);
        unary();
        break;
      }

      case StapParser::HIST_LOG:
      case StapParser::HIST_LINEAR:
      case StapParser::AT_IDENT:
      case StapParser::IDENT:
      case StapParser::NUMBER:
      case StapParser::STRING:
      case StapParser::LPAREN: {
        enterOuterAlt(_localctx, 3);
        setState(613);
        postfix();
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PostfixContext ------------------------------------------------------------------

StapParser::PostfixContext::PostfixContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

StapParser::PrimaryContext* StapParser::PostfixContext::primary() {
  return getRuleContext<StapParser::PrimaryContext>(0);
}

tree::TerminalNode* StapParser::PostfixContext::INC() {
  return getToken(StapParser::INC, 0);
}

tree::TerminalNode* StapParser::PostfixContext::DEC() {
  return getToken(StapParser::DEC, 0);
}


size_t StapParser::PostfixContext::getRuleIndex() const {
  return StapParser::RulePostfix;
}


StapParser::PostfixContext* StapParser::postfix() {
  PostfixContext *_localctx = _tracker.createInstance<PostfixContext>(_ctx, getState());
  enterRule(_localctx, 94, StapParser::RulePostfix);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(616);
    primary();
    setState(618);
    _errHandler->sync(this);

    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 85, _ctx)) {
    case 1: {
      setState(617);
      dynamic_cast<PostfixContext *>(_localctx)->op = _input->LT(1);
      _la = _input->LA(1);
      if (!(_la == StapParser::INC

      || _la == StapParser::DEC)) {
        dynamic_cast<PostfixContext *>(_localctx)->op = _errHandler->recoverInline(this);
      }
      else {
        _errHandler->reportMatch(this);
        consume();
      }
      break;
    }

    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- PrimaryContext ------------------------------------------------------------------

StapParser::PrimaryContext::PrimaryContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}


size_t StapParser::PrimaryContext::getRuleIndex() const {
  return StapParser::RulePrimary;
}

void StapParser::PrimaryContext::copyFrom(PrimaryContext *ctx) {
  ParserRuleContext::copyFrom(ctx);
}

//----------------- StringExprContext ------------------------------------------------------------------

std::vector<tree::TerminalNode *> StapParser::StringExprContext::STRING() {
  return getTokens(StapParser::STRING);
}

tree::TerminalNode* StapParser::StringExprContext::STRING(size_t i) {
  return getToken(StapParser::STRING, i);
}

StapParser::StringExprContext::StringExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


//----------------- IdentExprContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::IdentExprContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::IdentExprContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

std::vector<StapParser::IndexKeyContext *> StapParser::IdentExprContext::indexKey() {
  return getRuleContexts<StapParser::IndexKeyContext>();
}

StapParser::IndexKeyContext* StapParser::IdentExprContext::indexKey(size_t i) {
  return getRuleContext<StapParser::IndexKeyContext>(i);
}

tree::TerminalNode* StapParser::IdentExprContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}

std::vector<StapParser::TargetSuffixContext *> StapParser::IdentExprContext::targetSuffix() {
  return getRuleContexts<StapParser::TargetSuffixContext>();
}

StapParser::TargetSuffixContext* StapParser::IdentExprContext::targetSuffix(size_t i) {
  return getRuleContext<StapParser::TargetSuffixContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::IdentExprContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::IdentExprContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}

StapParser::IdentExprContext::IdentExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


//----------------- HistogramExprContext ------------------------------------------------------------------

StapParser::HistogramOpContext* StapParser::HistogramExprContext::histogramOp() {
  return getRuleContext<StapParser::HistogramOpContext>(0);
}

tree::TerminalNode* StapParser::HistogramExprContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

StapParser::ExprContext* StapParser::HistogramExprContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::HistogramExprContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}

StapParser::HistogramExprContext::HistogramExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


//----------------- NumberExprContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::NumberExprContext::NUMBER() {
  return getToken(StapParser::NUMBER, 0);
}

StapParser::NumberExprContext::NumberExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


//----------------- AtCallExprContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::AtCallExprContext::AT_IDENT() {
  return getToken(StapParser::AT_IDENT, 0);
}

tree::TerminalNode* StapParser::AtCallExprContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

tree::TerminalNode* StapParser::AtCallExprContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

std::vector<StapParser::ExprContext *> StapParser::AtCallExprContext::expr() {
  return getRuleContexts<StapParser::ExprContext>();
}

StapParser::ExprContext* StapParser::AtCallExprContext::expr(size_t i) {
  return getRuleContext<StapParser::ExprContext>(i);
}

std::vector<StapParser::TargetSuffixContext *> StapParser::AtCallExprContext::targetSuffix() {
  return getRuleContexts<StapParser::TargetSuffixContext>();
}

StapParser::TargetSuffixContext* StapParser::AtCallExprContext::targetSuffix(size_t i) {
  return getRuleContext<StapParser::TargetSuffixContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::AtCallExprContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::AtCallExprContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}

StapParser::AtCallExprContext::AtCallExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


//----------------- CallExprContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::CallExprContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::CallExprContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

tree::TerminalNode* StapParser::CallExprContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

std::vector<StapParser::ExprContext *> StapParser::CallExprContext::expr() {
  return getRuleContexts<StapParser::ExprContext>();
}

StapParser::ExprContext* StapParser::CallExprContext::expr(size_t i) {
  return getRuleContext<StapParser::ExprContext>(i);
}

std::vector<tree::TerminalNode *> StapParser::CallExprContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::CallExprContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}

StapParser::CallExprContext::CallExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


//----------------- ParenExprContext ------------------------------------------------------------------

tree::TerminalNode* StapParser::ParenExprContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

StapParser::ExprContext* StapParser::ParenExprContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::ParenExprContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

StapParser::ParenExprContext::ParenExprContext(PrimaryContext *ctx) { copyFrom(ctx); }


StapParser::PrimaryContext* StapParser::primary() {
  PrimaryContext *_localctx = _tracker.createInstance<PrimaryContext>(_ctx, getState());
  enterRule(_localctx, 96, StapParser::RulePrimary);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    size_t alt;
    setState(689);
    _errHandler->sync(this);
    switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 96, _ctx)) {
    case 1: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::NumberExprContext>(_localctx));
      enterOuterAlt(_localctx, 1);
      setState(620);
      match(StapParser::NUMBER);
      break;
    }

    case 2: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::StringExprContext>(_localctx));
      enterOuterAlt(_localctx, 2);
      setState(622); 
      _errHandler->sync(this);
      alt = 1;
      do {
        switch (alt) {
          case 1: {
                setState(621);
                match(StapParser::STRING);
                break;
              }

        default:
          throw NoViableAltException(this);
        }
        setState(624); 
        _errHandler->sync(this);
        alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 86, _ctx);
      } while (alt != 2 && alt != atn::ATN::INVALID_ALT_NUMBER);
      break;
    }

    case 3: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::ParenExprContext>(_localctx));
      enterOuterAlt(_localctx, 3);
      setState(626);
      match(StapParser::LPAREN);
      setState(627);
      expr();
      setState(628);
      match(StapParser::RPAREN);
      break;
    }

    case 4: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::CallExprContext>(_localctx));
      enterOuterAlt(_localctx, 4);
      setState(630);
      match(StapParser::IDENT);
      setState(631);
      match(StapParser::LPAREN);
      setState(640);
      _errHandler->sync(this);

      _la = _input->LA(1);
      if (((((_la - 29) & ~ 0x3fULL) == 0) &&
        ((1ULL << (_la - 29)) & ((1ULL << (StapParser::HIST_LOG - 29))
        | (1ULL << (StapParser::HIST_LINEAR - 29))
        | (1ULL << (StapParser::AT_IDENT - 29))
        | (1ULL << (StapParser::IDENT - 29))
        | (1ULL << (StapParser::NUMBER - 29))
        | (1ULL << (StapParser::STRING - 29))
        | (1ULL << (StapParser::INC - 29))
        | (1ULL << (StapParser::DEC - 29))
        | (1ULL << (StapParser::PLUS - 29))
        | (1ULL << (StapParser::MINUS - 29))
        | (1ULL << (StapParser::AMP - 29))
        | (1ULL << (StapParser::TILDE - 29))
        | (1ULL << (StapParser::BANG - 29))
        | (1ULL << (StapParser::LPAREN - 29))
        | (1ULL << (StapParser::LBRACK - 29)))) != 0)) {
        setState(632);
        expr();
        setState(637);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(633);
          match(StapParser::COMMA);
          setState(634);
          expr();
          setState(639);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
      }
      setState(642);
      match(StapParser::RPAREN);
      break;
    }

    case 5: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::IdentExprContext>(_localctx));
      enterOuterAlt(_localctx, 5);
      setState(643);
      match(StapParser::IDENT);
      setState(655);
      _errHandler->sync(this);

      switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 90, _ctx)) {
      case 1: {
        setState(644);
        match(StapParser::LBRACK);
        setState(645);
        indexKey();
        setState(650);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(646);
          match(StapParser::COMMA);
          setState(647);
          indexKey();
          setState(652);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
        setState(653);
        match(StapParser::RBRACK);
        break;
      }

      }
      setState(660);
      _errHandler->sync(this);
      alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 91, _ctx);
      while (alt != 2 && alt != atn::ATN::INVALID_ALT_NUMBER) {
        if (alt == 1) {
          setState(657);
          targetSuffix(); 
        }
        setState(662);
        _errHandler->sync(this);
        alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 91, _ctx);
      }
      break;
    }

    case 6: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::HistogramExprContext>(_localctx));
      enterOuterAlt(_localctx, 6);
      setState(663);
      histogramOp();
      setState(668);
      _errHandler->sync(this);

      switch (getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 92, _ctx)) {
      case 1: {
        setState(664);
        match(StapParser::LBRACK);
        setState(665);
        expr();
        setState(666);
        match(StapParser::RBRACK);
        break;
      }

      }
      break;
    }

    case 7: {
      _localctx = dynamic_cast<PrimaryContext *>(_tracker.createInstance<StapParser::AtCallExprContext>(_localctx));
      enterOuterAlt(_localctx, 7);
      setState(670);
      match(StapParser::AT_IDENT);
      setState(671);
      match(StapParser::LPAREN);
      setState(680);
      _errHandler->sync(this);

      _la = _input->LA(1);
      if (((((_la - 29) & ~ 0x3fULL) == 0) &&
        ((1ULL << (_la - 29)) & ((1ULL << (StapParser::HIST_LOG - 29))
        | (1ULL << (StapParser::HIST_LINEAR - 29))
        | (1ULL << (StapParser::AT_IDENT - 29))
        | (1ULL << (StapParser::IDENT - 29))
        | (1ULL << (StapParser::NUMBER - 29))
        | (1ULL << (StapParser::STRING - 29))
        | (1ULL << (StapParser::INC - 29))
        | (1ULL << (StapParser::DEC - 29))
        | (1ULL << (StapParser::PLUS - 29))
        | (1ULL << (StapParser::MINUS - 29))
        | (1ULL << (StapParser::AMP - 29))
        | (1ULL << (StapParser::TILDE - 29))
        | (1ULL << (StapParser::BANG - 29))
        | (1ULL << (StapParser::LPAREN - 29))
        | (1ULL << (StapParser::LBRACK - 29)))) != 0)) {
        setState(672);
        expr();
        setState(677);
        _errHandler->sync(this);
        _la = _input->LA(1);
        while (_la == StapParser::COMMA) {
          setState(673);
          match(StapParser::COMMA);
          setState(674);
          expr();
          setState(679);
          _errHandler->sync(this);
          _la = _input->LA(1);
        }
      }
      setState(682);
      match(StapParser::RPAREN);
      setState(686);
      _errHandler->sync(this);
      alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 95, _ctx);
      while (alt != 2 && alt != atn::ATN::INVALID_ALT_NUMBER) {
        if (alt == 1) {
          setState(683);
          targetSuffix(); 
        }
        setState(688);
        _errHandler->sync(this);
        alt = getInterpreter<atn::ParserATNSimulator>()->adaptivePredict(_input, 95, _ctx);
      }
      break;
    }

    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- HistogramOpContext ------------------------------------------------------------------

StapParser::HistogramOpContext::HistogramOpContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::HistogramOpContext::LPAREN() {
  return getToken(StapParser::LPAREN, 0);
}

std::vector<StapParser::ExprContext *> StapParser::HistogramOpContext::expr() {
  return getRuleContexts<StapParser::ExprContext>();
}

StapParser::ExprContext* StapParser::HistogramOpContext::expr(size_t i) {
  return getRuleContext<StapParser::ExprContext>(i);
}

tree::TerminalNode* StapParser::HistogramOpContext::RPAREN() {
  return getToken(StapParser::RPAREN, 0);
}

tree::TerminalNode* StapParser::HistogramOpContext::HIST_LOG() {
  return getToken(StapParser::HIST_LOG, 0);
}

tree::TerminalNode* StapParser::HistogramOpContext::HIST_LINEAR() {
  return getToken(StapParser::HIST_LINEAR, 0);
}

std::vector<tree::TerminalNode *> StapParser::HistogramOpContext::COMMA() {
  return getTokens(StapParser::COMMA);
}

tree::TerminalNode* StapParser::HistogramOpContext::COMMA(size_t i) {
  return getToken(StapParser::COMMA, i);
}


size_t StapParser::HistogramOpContext::getRuleIndex() const {
  return StapParser::RuleHistogramOp;
}


StapParser::HistogramOpContext* StapParser::histogramOp() {
  HistogramOpContext *_localctx = _tracker.createInstance<HistogramOpContext>(_ctx, getState());
  enterRule(_localctx, 98, StapParser::RuleHistogramOp);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(691);
    dynamic_cast<HistogramOpContext *>(_localctx)->hist = _input->LT(1);
    _la = _input->LA(1);
    if (!(_la == StapParser::HIST_LOG

    || _la == StapParser::HIST_LINEAR)) {
      dynamic_cast<HistogramOpContext *>(_localctx)->hist = _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
    setState(692);
    match(StapParser::LPAREN);
    setState(693);
    expr();
    setState(698);
    _errHandler->sync(this);
    _la = _input->LA(1);
    while (_la == StapParser::COMMA) {
      setState(694);
      match(StapParser::COMMA);
      setState(695);
      expr();
      setState(700);
      _errHandler->sync(this);
      _la = _input->LA(1);
    }
    setState(701);
    match(StapParser::RPAREN);
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- TargetSuffixContext ------------------------------------------------------------------

StapParser::TargetSuffixContext::TargetSuffixContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::TargetSuffixContext::ARROW() {
  return getToken(StapParser::ARROW, 0);
}

StapParser::MemberNameContext* StapParser::TargetSuffixContext::memberName() {
  return getRuleContext<StapParser::MemberNameContext>(0);
}

tree::TerminalNode* StapParser::TargetSuffixContext::LBRACK() {
  return getToken(StapParser::LBRACK, 0);
}

StapParser::ExprContext* StapParser::TargetSuffixContext::expr() {
  return getRuleContext<StapParser::ExprContext>(0);
}

tree::TerminalNode* StapParser::TargetSuffixContext::RBRACK() {
  return getToken(StapParser::RBRACK, 0);
}


size_t StapParser::TargetSuffixContext::getRuleIndex() const {
  return StapParser::RuleTargetSuffix;
}


StapParser::TargetSuffixContext* StapParser::targetSuffix() {
  TargetSuffixContext *_localctx = _tracker.createInstance<TargetSuffixContext>(_ctx, getState());
  enterRule(_localctx, 100, StapParser::RuleTargetSuffix);

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    setState(709);
    _errHandler->sync(this);
    switch (_input->LA(1)) {
      case StapParser::ARROW: {
        enterOuterAlt(_localctx, 1);
        setState(703);
        match(StapParser::ARROW);
        setState(704);
        memberName();
        break;
      }

      case StapParser::LBRACK: {
        enterOuterAlt(_localctx, 2);
        setState(705);
        match(StapParser::LBRACK);
        setState(706);
        expr();
        setState(707);
        match(StapParser::RBRACK);
        break;
      }

    default:
      throw NoViableAltException(this);
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

//----------------- MemberNameContext ------------------------------------------------------------------

StapParser::MemberNameContext::MemberNameContext(ParserRuleContext *parent, size_t invokingState)
  : ParserRuleContext(parent, invokingState) {
}

tree::TerminalNode* StapParser::MemberNameContext::IDENT() {
  return getToken(StapParser::IDENT, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::PROBE() {
  return getToken(StapParser::PROBE, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::GLOBAL() {
  return getToken(StapParser::GLOBAL, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::PRIVATE() {
  return getToken(StapParser::PRIVATE, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::FUNCTION() {
  return getToken(StapParser::FUNCTION, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::IF() {
  return getToken(StapParser::IF, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::ELSE() {
  return getToken(StapParser::ELSE, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::WHILE() {
  return getToken(StapParser::WHILE, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::FOR() {
  return getToken(StapParser::FOR, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::FOREACH() {
  return getToken(StapParser::FOREACH, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::IN() {
  return getToken(StapParser::IN, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::LIMIT() {
  return getToken(StapParser::LIMIT, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::BREAK() {
  return getToken(StapParser::BREAK, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::CONTINUE() {
  return getToken(StapParser::CONTINUE, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::NEXT() {
  return getToken(StapParser::NEXT, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::RETURN() {
  return getToken(StapParser::RETURN, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::DELETE() {
  return getToken(StapParser::DELETE, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::TRY() {
  return getToken(StapParser::TRY, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::CATCH() {
  return getToken(StapParser::CATCH, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::LONG() {
  return getToken(StapParser::LONG, 0);
}

tree::TerminalNode* StapParser::MemberNameContext::STRING_KW() {
  return getToken(StapParser::STRING_KW, 0);
}


size_t StapParser::MemberNameContext::getRuleIndex() const {
  return StapParser::RuleMemberName;
}


StapParser::MemberNameContext* StapParser::memberName() {
  MemberNameContext *_localctx = _tracker.createInstance<MemberNameContext>(_ctx, getState());
  enterRule(_localctx, 102, StapParser::RuleMemberName);
  size_t _la = 0;

  auto onExit = finally([=] {
    exitRule();
  });
  try {
    enterOuterAlt(_localctx, 1);
    setState(711);
    _la = _input->LA(1);
    if (!((((_la & ~ 0x3fULL) == 0) &&
      ((1ULL << _la) & ((1ULL << StapParser::PROBE)
      | (1ULL << StapParser::GLOBAL)
      | (1ULL << StapParser::PRIVATE)
      | (1ULL << StapParser::FUNCTION)
      | (1ULL << StapParser::IF)
      | (1ULL << StapParser::ELSE)
      | (1ULL << StapParser::WHILE)
      | (1ULL << StapParser::FOR)
      | (1ULL << StapParser::FOREACH)
      | (1ULL << StapParser::IN)
      | (1ULL << StapParser::LIMIT)
      | (1ULL << StapParser::BREAK)
      | (1ULL << StapParser::CONTINUE)
      | (1ULL << StapParser::NEXT)
      | (1ULL << StapParser::RETURN)
      | (1ULL << StapParser::DELETE)
      | (1ULL << StapParser::TRY)
      | (1ULL << StapParser::CATCH)
      | (1ULL << StapParser::LONG)
      | (1ULL << StapParser::STRING_KW)
      | (1ULL << StapParser::IDENT))) != 0))) {
    _errHandler->recoverInline(this);
    }
    else {
      _errHandler->reportMatch(this);
      consume();
    }
   
  }
  catch (RecognitionException &e) {
    _errHandler->reportError(this, e);
    _localctx->exception = std::current_exception();
    _errHandler->recover(this, _localctx->exception);
  }

  return _localctx;
}

bool StapParser::sempred(RuleContext *context, size_t ruleIndex, size_t predicateIndex) {
  switch (ruleIndex) {
    case 17: return ppNameSempred(dynamic_cast<PpNameContext *>(context), predicateIndex);

  default:
    break;
  }
  return true;
}

bool StapParser::ppNameSempred(PpNameContext *_localctx, size_t predicateIndex) {
  switch (predicateIndex) {
    case 0: return  _input->LT(1)->getStartIndex() == _input->LT(-1)->getStopIndex() + 1 ;

  default:
    break;
  }
  return true;
}

// Static vars and initialization.
std::vector<dfa::DFA> StapParser::_decisionToDFA;
atn::PredictionContextCache StapParser::_sharedContextCache;

// We own the ATN which in turn owns the ATN states.
atn::ATN StapParser::_atn;
std::vector<uint16_t> StapParser::_serializedATN;

std::vector<std::string> StapParser::_ruleNames = {
  "script", "topItem", "embeddedC", "globalDecl", "globalVar", "literal", 
  "functionDecl", "param", "typeName", "signedNumber", "probeDecl", "aliasOp", 
  "probePoints", "probePoint", "ppFlag", "ppComponent", "probePointSeq", 
  "ppName", "ppNamePart", "ppParam", "ppLiteral", "keyword", "block", "statement", 
  "foreachHead", "foreachKeys", "foreachKey", "sortMark", "foreachSource", 
  "sliceKey", "expr", "assignment", "ternary", "logicalOr", "logicalAnd", 
  "bitOr", "bitXor", "bitAnd", "arrayIn", "inKey", "indexKey", "comparison", 
  "shift", "concat", "additive", "multiplicative", "unary", "postfix", "primary", 
  "histogramOp", "targetSuffix", "memberName"
};

std::vector<std::string> StapParser::_literalNames = {
  "", "'probe'", "'global'", "'private'", "'function'", "'if'", "'else'", 
  "'while'", "'for'", "'foreach'", "'in'", "'limit'", "'break'", "'continue'", 
  "'next'", "'return'", "'delete'", "'try'", "'catch'", "'long'", "'string'", 
  "'%('", "'%?'", "'%:'", "'%)'", "", "", "", "", "'@hist_log'", "'@hist_linear'", 
  "", "", "", "", "", "", "'<<<'", "'>>>='", "'>>>'", "'<<='", "'>>='", 
  "'->'", "'++'", "'--'", "'+='", "'-='", "'*='", "'/='", "'%='", "'&='", 
  "'|='", "'^='", "'.='", "'&&'", "'||'", "'=='", "'!='", "'<='", "'>='", 
  "'<<'", "'>>'", "'=~'", "'!~'", "'='", "'<'", "'>'", "'+'", "'-'", "'*'", 
  "'/'", "'%'", "'&'", "'|'", "'^'", "'~'", "'!'", "'?'", "':'", "';'", 
  "','", "'.'", "'('", "')'", "'['", "']'", "'{'", "'}'"
};

std::vector<std::string> StapParser::_symbolicNames = {
  "", "PROBE", "GLOBAL", "PRIVATE", "FUNCTION", "IF", "ELSE", "WHILE", "FOR", 
  "FOREACH", "IN", "LIMIT", "BREAK", "CONTINUE", "NEXT", "RETURN", "DELETE", 
  "TRY", "CATCH", "LONG", "STRING_KW", "PP_OPEN", "PP_THEN", "PP_ELSE", 
  "PP_CLOSE", "EMBEDDED_C", "UNTERMINATED_EMBEDDED_C", "DOLLAR_ARG", "AT_ARG", 
  "HIST_LOG", "HIST_LINEAR", "AT_IDENT", "IDENT", "NUMBER", "BAD_NUMBER", 
  "STRING", "UNTERMINATED_STRING", "SHL3", "SHR3_ASSIGN", "SHR3", "SHL_ASSIGN", 
  "SHR_ASSIGN", "ARROW", "INC", "DEC", "ADD_ASSIGN", "SUB_ASSIGN", "MUL_ASSIGN", 
  "DIV_ASSIGN", "MOD_ASSIGN", "AND_ASSIGN", "OR_ASSIGN", "XOR_ASSIGN", "CAT_ASSIGN", 
  "ANDAND", "OROR", "EQ", "NE", "LE", "GE", "SHL", "SHR", "MATCH", "NOMATCH", 
  "ASSIGN", "LT", "GT", "PLUS", "MINUS", "STAR", "SLASH", "PERCENT", "AMP", 
  "PIPE", "CARET", "TILDE", "BANG", "QUESTION", "COLON", "SEMI", "COMMA", 
  "DOT", "LPAREN", "RPAREN", "LBRACK", "RBRACK", "LBRACE", "RBRACE", "LINE_COMMENT", 
  "BLOCK_COMMENT", "UNTERMINATED_COMMENT", "WS", "STRAY"
};

dfa::Vocabulary StapParser::_vocabulary(_literalNames, _symbolicNames);

std::vector<std::string> StapParser::_tokenNames;

StapParser::Initializer::Initializer() {
	for (size_t i = 0; i < _symbolicNames.size(); ++i) {
		std::string name = _vocabulary.getLiteralName(i);
		if (name.empty()) {
			name = _vocabulary.getSymbolicName(i);
		}

		if (name.empty()) {
			_tokenNames.push_back("<INVALID>");
		} else {
      _tokenNames.push_back(name);
    }
	}

  _serializedATN = {
    0x3, 0x608b, 0xa72a, 0x8133, 0xb9ed, 0x417c, 0x3be7, 0x7786, 0x5964, 
    0x3, 0x5e, 0x2cc, 0x4, 0x2, 0x9, 0x2, 0x4, 0x3, 0x9, 0x3, 0x4, 0x4, 
    0x9, 0x4, 0x4, 0x5, 0x9, 0x5, 0x4, 0x6, 0x9, 0x6, 0x4, 0x7, 0x9, 0x7, 
    0x4, 0x8, 0x9, 0x8, 0x4, 0x9, 0x9, 0x9, 0x4, 0xa, 0x9, 0xa, 0x4, 0xb, 
    0x9, 0xb, 0x4, 0xc, 0x9, 0xc, 0x4, 0xd, 0x9, 0xd, 0x4, 0xe, 0x9, 0xe, 
    0x4, 0xf, 0x9, 0xf, 0x4, 0x10, 0x9, 0x10, 0x4, 0x11, 0x9, 0x11, 0x4, 
    0x12, 0x9, 0x12, 0x4, 0x13, 0x9, 0x13, 0x4, 0x14, 0x9, 0x14, 0x4, 0x15, 
    0x9, 0x15, 0x4, 0x16, 0x9, 0x16, 0x4, 0x17, 0x9, 0x17, 0x4, 0x18, 0x9, 
    0x18, 0x4, 0x19, 0x9, 0x19, 0x4, 0x1a, 0x9, 0x1a, 0x4, 0x1b, 0x9, 0x1b, 
    0x4, 0x1c, 0x9, 0x1c, 0x4, 0x1d, 0x9, 0x1d, 0x4, 0x1e, 0x9, 0x1e, 0x4, 
    0x1f, 0x9, 0x1f, 0x4, 0x20, 0x9, 0x20, 0x4, 0x21, 0x9, 0x21, 0x4, 0x22, 
    0x9, 0x22, 0x4, 0x23, 0x9, 0x23, 0x4, 0x24, 0x9, 0x24, 0x4, 0x25, 0x9, 
    0x25, 0x4, 0x26, 0x9, 0x26, 0x4, 0x27, 0x9, 0x27, 0x4, 0x28, 0x9, 0x28, 
    0x4, 0x29, 0x9, 0x29, 0x4, 0x2a, 0x9, 0x2a, 0x4, 0x2b, 0x9, 0x2b, 0x4, 
    0x2c, 0x9, 0x2c, 0x4, 0x2d, 0x9, 0x2d, 0x4, 0x2e, 0x9, 0x2e, 0x4, 0x2f, 
    0x9, 0x2f, 0x4, 0x30, 0x9, 0x30, 0x4, 0x31, 0x9, 0x31, 0x4, 0x32, 0x9, 
    0x32, 0x4, 0x33, 0x9, 0x33, 0x4, 0x34, 0x9, 0x34, 0x4, 0x35, 0x9, 0x35, 
    0x3, 0x2, 0x7, 0x2, 0x6c, 0xa, 0x2, 0xc, 0x2, 0xe, 0x2, 0x6f, 0xb, 0x2, 
    0x3, 0x2, 0x3, 0x2, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 0x3, 
    0x5, 0x3, 0x78, 0xa, 0x3, 0x3, 0x4, 0x3, 0x4, 0x3, 0x5, 0x5, 0x5, 0x7d, 
    0xa, 0x5, 0x3, 0x5, 0x3, 0x5, 0x3, 0x5, 0x3, 0x5, 0x7, 0x5, 0x83, 0xa, 
    0x5, 0xc, 0x5, 0xe, 0x5, 0x86, 0xb, 0x5, 0x3, 0x5, 0x5, 0x5, 0x89, 0xa, 
    0x5, 0x3, 0x5, 0x3, 0x5, 0x3, 0x5, 0x3, 0x5, 0x7, 0x5, 0x8f, 0xa, 0x5, 
    0xc, 0x5, 0xe, 0x5, 0x92, 0xb, 0x5, 0x3, 0x5, 0x5, 0x5, 0x95, 0xa, 0x5, 
    0x5, 0x5, 0x97, 0xa, 0x5, 0x3, 0x6, 0x3, 0x6, 0x5, 0x6, 0x9b, 0xa, 0x6, 
    0x3, 0x6, 0x3, 0x6, 0x3, 0x6, 0x5, 0x6, 0xa0, 0xa, 0x6, 0x3, 0x6, 0x5, 
    0x6, 0xa3, 0xa, 0x6, 0x3, 0x6, 0x3, 0x6, 0x5, 0x6, 0xa7, 0xa, 0x6, 0x3, 
    0x7, 0x5, 0x7, 0xaa, 0xa, 0x7, 0x3, 0x7, 0x3, 0x7, 0x6, 0x7, 0xae, 0xa, 
    0x7, 0xd, 0x7, 0xe, 0x7, 0xaf, 0x5, 0x7, 0xb2, 0xa, 0x7, 0x3, 0x8, 0x5, 
    0x8, 0xb5, 0xa, 0x8, 0x3, 0x8, 0x3, 0x8, 0x3, 0x8, 0x3, 0x8, 0x5, 0x8, 
    0xbb, 0xa, 0x8, 0x3, 0x8, 0x3, 0x8, 0x3, 0x8, 0x3, 0x8, 0x7, 0x8, 0xc1, 
    0xa, 0x8, 0xc, 0x8, 0xe, 0x8, 0xc4, 0xb, 0x8, 0x5, 0x8, 0xc6, 0xa, 0x8, 
    0x3, 0x8, 0x3, 0x8, 0x3, 0x8, 0x5, 0x8, 0xcb, 0xa, 0x8, 0x3, 0x8, 0x3, 
    0x8, 0x5, 0x8, 0xcf, 0xa, 0x8, 0x3, 0x9, 0x3, 0x9, 0x3, 0x9, 0x5, 0x9, 
    0xd4, 0xa, 0x9, 0x3, 0xa, 0x3, 0xa, 0x3, 0xb, 0x5, 0xb, 0xd9, 0xa, 0xb, 
    0x3, 0xb, 0x3, 0xb, 0x3, 0xc, 0x3, 0xc, 0x3, 0xc, 0x3, 0xc, 0x3, 0xc, 
    0x7, 0xc, 0xe2, 0xa, 0xc, 0xc, 0xc, 0xe, 0xc, 0xe5, 0xb, 0xc, 0x3, 0xc, 
    0x3, 0xc, 0x3, 0xc, 0x5, 0xc, 0xea, 0xa, 0xc, 0x3, 0xd, 0x3, 0xd, 0x3, 
    0xe, 0x3, 0xe, 0x3, 0xe, 0x7, 0xe, 0xf1, 0xa, 0xe, 0xc, 0xe, 0xe, 0xe, 
    0xf4, 0xb, 0xe, 0x3, 0xf, 0x3, 0xf, 0x3, 0xf, 0x7, 0xf, 0xf9, 0xa, 0xf, 
    0xc, 0xf, 0xe, 0xf, 0xfc, 0xb, 0xf, 0x3, 0xf, 0x7, 0xf, 0xff, 0xa, 0xf, 
    0xc, 0xf, 0xe, 0xf, 0x102, 0xb, 0xf, 0x3, 0xf, 0x3, 0xf, 0x3, 0xf, 0x3, 
    0xf, 0x3, 0xf, 0x5, 0xf, 0x109, 0xa, 0xf, 0x3, 0x10, 0x3, 0x10, 0x3, 
    0x11, 0x3, 0x11, 0x3, 0x11, 0x3, 0x11, 0x3, 0x11, 0x5, 0x11, 0x112, 
    0xa, 0x11, 0x3, 0x11, 0x3, 0x11, 0x3, 0x11, 0x3, 0x11, 0x7, 0x11, 0x118, 
    0xa, 0x11, 0xc, 0x11, 0xe, 0x11, 0x11b, 0xb, 0x11, 0x3, 0x11, 0x3, 0x11, 
    0x5, 0x11, 0x11f, 0xa, 0x11, 0x3, 0x12, 0x3, 0x12, 0x3, 0x12, 0x7, 0x12, 
    0x124, 0xa, 0x12, 0xc, 0x12, 0xe, 0x12, 0x127, 0xb, 0x12, 0x3, 0x13, 
    0x3, 0x13, 0x5, 0x13, 0x12b, 0xa, 0x13, 0x3, 0x13, 0x3, 0x13, 0x7, 0x13, 
    0x12f, 0xa, 0x13, 0xc, 0x13, 0xe, 0x13, 0x132, 0xb, 0x13, 0x3, 0x14, 
    0x3, 0x14, 0x3, 0x14, 0x5, 0x14, 0x137, 0xa, 0x14, 0x3, 0x15, 0x3, 0x15, 
    0x3, 0x15, 0x3, 0x15, 0x3, 0x15, 0x7, 0x15, 0x13e, 0xa, 0x15, 0xc, 0x15, 
    0xe, 0x15, 0x141, 0xb, 0x15, 0x3, 0x15, 0x3, 0x15, 0x5, 0x15, 0x145, 
    0xa, 0x15, 0x3, 0x16, 0x5, 0x16, 0x148, 0xa, 0x16, 0x3, 0x16, 0x3, 0x16, 
    0x6, 0x16, 0x14c, 0xa, 0x16, 0xd, 0x16, 0xe, 0x16, 0x14d, 0x5, 0x16, 
    0x150, 0xa, 0x16, 0x3, 0x17, 0x3, 0x17, 0x3, 0x18, 0x3, 0x18, 0x7, 0x18, 
    0x156, 0xa, 0x18, 0xc, 0x18, 0xe, 0x18, 0x159, 0xb, 0x18, 0x3, 0x18, 
    0x3, 0x18, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 
    0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x166, 0xa, 0x19, 
    0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 
    0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x171, 0xa, 0x19, 0x3, 0x19, 
    0x3, 0x19, 0x5, 0x19, 0x175, 0xa, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 
    0x179, 0xa, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 
    0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x185, 
    0xa, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x189, 0xa, 0x19, 0x3, 0x19, 
    0x3, 0x19, 0x5, 0x19, 0x18d, 0xa, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 
    0x191, 0xa, 0x19, 0x3, 0x19, 0x5, 0x19, 0x194, 0xa, 0x19, 0x3, 0x19, 
    0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x199, 0xa, 0x19, 0x3, 0x19, 0x3, 0x19, 
    0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x1a1, 0xa, 0x19, 
    0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x3, 0x19, 0x5, 0x19, 0x1a8, 
    0xa, 0x19, 0x5, 0x19, 0x1aa, 0xa, 0x19, 0x3, 0x1a, 0x3, 0x1a, 0x5, 0x1a, 
    0x1ae, 0xa, 0x1a, 0x3, 0x1a, 0x5, 0x1a, 0x1b1, 0xa, 0x1a, 0x3, 0x1a, 
    0x3, 0x1a, 0x3, 0x1a, 0x3, 0x1a, 0x5, 0x1a, 0x1b7, 0xa, 0x1a, 0x3, 0x1a, 
    0x5, 0x1a, 0x1ba, 0xa, 0x1a, 0x3, 0x1a, 0x3, 0x1a, 0x5, 0x1a, 0x1be, 
    0xa, 0x1a, 0x3, 0x1b, 0x3, 0x1b, 0x3, 0x1b, 0x3, 0x1b, 0x3, 0x1b, 0x7, 
    0x1b, 0x1c5, 0xa, 0x1b, 0xc, 0x1b, 0xe, 0x1b, 0x1c8, 0xb, 0x1b, 0x3, 
    0x1b, 0x3, 0x1b, 0x5, 0x1b, 0x1cc, 0xa, 0x1b, 0x3, 0x1c, 0x3, 0x1c, 
    0x5, 0x1c, 0x1d0, 0xa, 0x1c, 0x3, 0x1d, 0x3, 0x1d, 0x3, 0x1e, 0x3, 0x1e, 
    0x3, 0x1e, 0x3, 0x1e, 0x3, 0x1e, 0x7, 0x1e, 0x1d9, 0xa, 0x1e, 0xc, 0x1e, 
    0xe, 0x1e, 0x1dc, 0xb, 0x1e, 0x3, 0x1e, 0x3, 0x1e, 0x5, 0x1e, 0x1e0, 
    0xa, 0x1e, 0x3, 0x1e, 0x5, 0x1e, 0x1e3, 0xa, 0x1e, 0x3, 0x1f, 0x3, 0x1f, 
    0x5, 0x1f, 0x1e7, 0xa, 0x1f, 0x3, 0x20, 0x3, 0x20, 0x3, 0x21, 0x3, 0x21, 
    0x3, 0x21, 0x5, 0x21, 0x1ee, 0xa, 0x21, 0x3, 0x22, 0x3, 0x22, 0x3, 0x22, 
    0x3, 0x22, 0x3, 0x22, 0x3, 0x22, 0x5, 0x22, 0x1f6, 0xa, 0x22, 0x3, 0x23, 
    0x3, 0x23, 0x3, 0x23, 0x7, 0x23, 0x1fb, 0xa, 0x23, 0xc, 0x23, 0xe, 0x23, 
    0x1fe, 0xb, 0x23, 0x3, 0x24, 0x3, 0x24, 0x3, 0x24, 0x7, 0x24, 0x203, 
    0xa, 0x24, 0xc, 0x24, 0xe, 0x24, 0x206, 0xb, 0x24, 0x3, 0x25, 0x3, 0x25, 
    0x3, 0x25, 0x7, 0x25, 0x20b, 0xa, 0x25, 0xc, 0x25, 0xe, 0x25, 0x20e, 
    0xb, 0x25, 0x3, 0x26, 0x3, 0x26, 0x3, 0x26, 0x7, 0x26, 0x213, 0xa, 0x26, 
    0xc, 0x26, 0xe, 0x26, 0x216, 0xb, 0x26, 0x3, 0x27, 0x3, 0x27, 0x3, 0x27, 
    0x7, 0x27, 0x21b, 0xa, 0x27, 0xc, 0x27, 0xe, 0x27, 0x21e, 0xb, 0x27, 
    0x3, 0x28, 0x3, 0x28, 0x3, 0x28, 0x5, 0x28, 0x223, 0xa, 0x28, 0x3, 0x28, 
    0x3, 0x28, 0x3, 0x28, 0x3, 0x28, 0x7, 0x28, 0x229, 0xa, 0x28, 0xc, 0x28, 
    0xe, 0x28, 0x22c, 0xb, 0x28, 0x3, 0x28, 0x3, 0x28, 0x3, 0x28, 0x3, 0x28, 
    0x5, 0x28, 0x232, 0xa, 0x28, 0x3, 0x29, 0x3, 0x29, 0x5, 0x29, 0x236, 
    0xa, 0x29, 0x3, 0x2a, 0x3, 0x2a, 0x5, 0x2a, 0x23a, 0xa, 0x2a, 0x3, 0x2b, 
    0x3, 0x2b, 0x3, 0x2b, 0x7, 0x2b, 0x23f, 0xa, 0x2b, 0xc, 0x2b, 0xe, 0x2b, 
    0x242, 0xb, 0x2b, 0x3, 0x2c, 0x3, 0x2c, 0x3, 0x2c, 0x7, 0x2c, 0x247, 
    0xa, 0x2c, 0xc, 0x2c, 0xe, 0x2c, 0x24a, 0xb, 0x2c, 0x3, 0x2d, 0x3, 0x2d, 
    0x3, 0x2d, 0x7, 0x2d, 0x24f, 0xa, 0x2d, 0xc, 0x2d, 0xe, 0x2d, 0x252, 
    0xb, 0x2d, 0x3, 0x2e, 0x3, 0x2e, 0x3, 0x2e, 0x7, 0x2e, 0x257, 0xa, 0x2e, 
    0xc, 0x2e, 0xe, 0x2e, 0x25a, 0xb, 0x2e, 0x3, 0x2f, 0x3, 0x2f, 0x3, 0x2f, 
    0x7, 0x2f, 0x25f, 0xa, 0x2f, 0xc, 0x2f, 0xe, 0x2f, 0x262, 0xb, 0x2f, 
    0x3, 0x30, 0x3, 0x30, 0x3, 0x30, 0x3, 0x30, 0x3, 0x30, 0x5, 0x30, 0x269, 
    0xa, 0x30, 0x3, 0x31, 0x3, 0x31, 0x5, 0x31, 0x26d, 0xa, 0x31, 0x3, 0x32, 
    0x3, 0x32, 0x6, 0x32, 0x271, 0xa, 0x32, 0xd, 0x32, 0xe, 0x32, 0x272, 
    0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 
    0x32, 0x3, 0x32, 0x3, 0x32, 0x7, 0x32, 0x27e, 0xa, 0x32, 0xc, 0x32, 
    0xe, 0x32, 0x281, 0xb, 0x32, 0x5, 0x32, 0x283, 0xa, 0x32, 0x3, 0x32, 
    0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x7, 0x32, 0x28b, 
    0xa, 0x32, 0xc, 0x32, 0xe, 0x32, 0x28e, 0xb, 0x32, 0x3, 0x32, 0x3, 0x32, 
    0x5, 0x32, 0x292, 0xa, 0x32, 0x3, 0x32, 0x7, 0x32, 0x295, 0xa, 0x32, 
    0xc, 0x32, 0xe, 0x32, 0x298, 0xb, 0x32, 0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 
    0x3, 0x32, 0x3, 0x32, 0x5, 0x32, 0x29f, 0xa, 0x32, 0x3, 0x32, 0x3, 0x32, 
    0x3, 0x32, 0x3, 0x32, 0x3, 0x32, 0x7, 0x32, 0x2a6, 0xa, 0x32, 0xc, 0x32, 
    0xe, 0x32, 0x2a9, 0xb, 0x32, 0x5, 0x32, 0x2ab, 0xa, 0x32, 0x3, 0x32, 
    0x3, 0x32, 0x7, 0x32, 0x2af, 0xa, 0x32, 0xc, 0x32, 0xe, 0x32, 0x2b2, 
    0xb, 0x32, 0x5, 0x32, 0x2b4, 0xa, 0x32, 0x3, 0x33, 0x3, 0x33, 0x3, 0x33, 
    0x3, 0x33, 0x3, 0x33, 0x7, 0x33, 0x2bb, 0xa, 0x33, 0xc, 0x33, 0xe, 0x33, 
    0x2be, 0xb, 0x33, 0x3, 0x33, 0x3, 0x33, 0x3, 0x34, 0x3, 0x34, 0x3, 0x34, 
    0x3, 0x34, 0x3, 0x34, 0x3, 0x34, 0x5, 0x34, 0x2c8, 0xa, 0x34, 0x3, 0x35, 
    0x3, 0x35, 0x3, 0x35, 0x2, 0x2, 0x36, 0x2, 0x4, 0x6, 0x8, 0xa, 0xc, 
    0xe, 0x10, 0x12, 0x14, 0x16, 0x18, 0x1a, 0x1c, 0x1e, 0x20, 0x22, 0x24, 
    0x26, 0x28, 0x2a, 0x2c, 0x2e, 0x30, 0x32, 0x34, 0x36, 0x38, 0x3a, 0x3c, 
    0x3e, 0x40, 0x42, 0x44, 0x46, 0x48, 0x4a, 0x4c, 0x4e, 0x50, 0x52, 0x54, 
    0x56, 0x58, 0x5a, 0x5c, 0x5e, 0x60, 0x62, 0x64, 0x66, 0x68, 0x2, 0xf, 
    0x3, 0x2, 0x15, 0x16, 0x4, 0x2, 0x2f, 0x2f, 0x42, 0x42, 0x3, 0x2, 0x4e, 
    0x4f, 0x4, 0x2, 0x3, 0x6, 0x8, 0x16, 0x3, 0x2, 0x45, 0x46, 0x6, 0x2, 
    0x27, 0x28, 0x2a, 0x2b, 0x2f, 0x37, 0x42, 0x42, 0x5, 0x2, 0x3a, 0x3d, 
    0x40, 0x41, 0x43, 0x44, 0x4, 0x2, 0x29, 0x29, 0x3e, 0x3f, 0x3, 0x2, 
    0x47, 0x49, 0x5, 0x2, 0x45, 0x46, 0x4a, 0x4a, 0x4d, 0x4e, 0x3, 0x2, 
    0x2d, 0x2e, 0x3, 0x2, 0x1f, 0x20, 0x4, 0x2, 0x3, 0x16, 0x22, 0x22, 0x2, 
    0x310, 0x2, 0x6d, 0x3, 0x2, 0x2, 0x2, 0x4, 0x77, 0x3, 0x2, 0x2, 0x2, 
    0x6, 0x79, 0x3, 0x2, 0x2, 0x2, 0x8, 0x96, 0x3, 0x2, 0x2, 0x2, 0xa, 0x98, 
    0x3, 0x2, 0x2, 0x2, 0xc, 0xb1, 0x3, 0x2, 0x2, 0x2, 0xe, 0xb4, 0x3, 0x2, 
    0x2, 0x2, 0x10, 0xd0, 0x3, 0x2, 0x2, 0x2, 0x12, 0xd5, 0x3, 0x2, 0x2, 
    0x2, 0x14, 0xd8, 0x3, 0x2, 0x2, 0x2, 0x16, 0xdc, 0x3, 0x2, 0x2, 0x2, 
    0x18, 0xeb, 0x3, 0x2, 0x2, 0x2, 0x1a, 0xed, 0x3, 0x2, 0x2, 0x2, 0x1c, 
    0xf5, 0x3, 0x2, 0x2, 0x2, 0x1e, 0x10a, 0x3, 0x2, 0x2, 0x2, 0x20, 0x11e, 
    0x3, 0x2, 0x2, 0x2, 0x22, 0x120, 0x3, 0x2, 0x2, 0x2, 0x24, 0x12a, 0x3, 
    0x2, 0x2, 0x2, 0x26, 0x136, 0x3, 0x2, 0x2, 0x2, 0x28, 0x144, 0x3, 0x2, 
    0x2, 0x2, 0x2a, 0x14f, 0x3, 0x2, 0x2, 0x2, 0x2c, 0x151, 0x3, 0x2, 0x2, 
    0x2, 0x2e, 0x153, 0x3, 0x2, 0x2, 0x2, 0x30, 0x1a9, 0x3, 0x2, 0x2, 0x2, 
    0x32, 0x1b0, 0x3, 0x2, 0x2, 0x2, 0x34, 0x1cb, 0x3, 0x2, 0x2, 0x2, 0x36, 
    0x1cd, 0x3, 0x2, 0x2, 0x2, 0x38, 0x1d1, 0x3, 0x2, 0x2, 0x2, 0x3a, 0x1e2, 
    0x3, 0x2, 0x2, 0x2, 0x3c, 0x1e6, 0x3, 0x2, 0x2, 0x2, 0x3e, 0x1e8, 0x3, 
    0x2, 0x2, 0x2, 0x40, 0x1ea, 0x3, 0x2, 0x2, 0x2, 0x42, 0x1ef, 0x3, 0x2, 
    0x2, 0x2, 0x44, 0x1f7, 0x3, 0x2, 0x2, 0x2, 0x46, 0x1ff, 0x3, 0x2, 0x2, 
    0x2, 0x48, 0x207, 0x3, 0x2, 0x2, 0x2, 0x4a, 0x20f, 0x3, 0x2, 0x2, 0x2, 
    0x4c, 0x217, 0x3, 0x2, 0x2, 0x2, 0x4e, 0x231, 0x3, 0x2, 0x2, 0x2, 0x50, 
    0x235, 0x3, 0x2, 0x2, 0x2, 0x52, 0x239, 0x3, 0x2, 0x2, 0x2, 0x54, 0x23b, 
    0x3, 0x2, 0x2, 0x2, 0x56, 0x243, 0x3, 0x2, 0x2, 0x2, 0x58, 0x24b, 0x3, 
    0x2, 0x2, 0x2, 0x5a, 0x253, 0x3, 0x2, 0x2, 0x2, 0x5c, 0x25b, 0x3, 0x2, 
    0x2, 0x2, 0x5e, 0x268, 0x3, 0x2, 0x2, 0x2, 0x60, 0x26a, 0x3, 0x2, 0x2, 
    0x2, 0x62, 0x2b3, 0x3, 0x2, 0x2, 0x2, 0x64, 0x2b5, 0x3, 0x2, 0x2, 0x2, 
    0x66, 0x2c7, 0x3, 0x2, 0x2, 0x2, 0x68, 0x2c9, 0x3, 0x2, 0x2, 0x2, 0x6a, 
    0x6c, 0x5, 0x4, 0x3, 0x2, 0x6b, 0x6a, 0x3, 0x2, 0x2, 0x2, 0x6c, 0x6f, 
    0x3, 0x2, 0x2, 0x2, 0x6d, 0x6b, 0x3, 0x2, 0x2, 0x2, 0x6d, 0x6e, 0x3, 
    0x2, 0x2, 0x2, 0x6e, 0x70, 0x3, 0x2, 0x2, 0x2, 0x6f, 0x6d, 0x3, 0x2, 
    0x2, 0x2, 0x70, 0x71, 0x7, 0x2, 0x2, 0x3, 0x71, 0x3, 0x3, 0x2, 0x2, 
    0x2, 0x72, 0x78, 0x5, 0x8, 0x5, 0x2, 0x73, 0x78, 0x5, 0xe, 0x8, 0x2, 
    0x74, 0x78, 0x5, 0x16, 0xc, 0x2, 0x75, 0x78, 0x5, 0x6, 0x4, 0x2, 0x76, 
    0x78, 0x7, 0x51, 0x2, 0x2, 0x77, 0x72, 0x3, 0x2, 0x2, 0x2, 0x77, 0x73, 
    0x3, 0x2, 0x2, 0x2, 0x77, 0x74, 0x3, 0x2, 0x2, 0x2, 0x77, 0x75, 0x3, 
    0x2, 0x2, 0x2, 0x77, 0x76, 0x3, 0x2, 0x2, 0x2, 0x78, 0x5, 0x3, 0x2, 
    0x2, 0x2, 0x79, 0x7a, 0x7, 0x1b, 0x2, 0x2, 0x7a, 0x7, 0x3, 0x2, 0x2, 
    0x2, 0x7b, 0x7d, 0x7, 0x5, 0x2, 0x2, 0x7c, 0x7b, 0x3, 0x2, 0x2, 0x2, 
    0x7c, 0x7d, 0x3, 0x2, 0x2, 0x2, 0x7d, 0x7e, 0x3, 0x2, 0x2, 0x2, 0x7e, 
    0x7f, 0x7, 0x4, 0x2, 0x2, 0x7f, 0x84, 0x5, 0xa, 0x6, 0x2, 0x80, 0x81, 
    0x7, 0x52, 0x2, 0x2, 0x81, 0x83, 0x5, 0xa, 0x6, 0x2, 0x82, 0x80, 0x3, 
    0x2, 0x2, 0x2, 0x83, 0x86, 0x3, 0x2, 0x2, 0x2, 0x84, 0x82, 0x3, 0x2, 
    0x2, 0x2, 0x84, 0x85, 0x3, 0x2, 0x2, 0x2, 0x85, 0x88, 0x3, 0x2, 0x2, 
    0x2, 0x86, 0x84, 0x3, 0x2, 0x2, 0x2, 0x87, 0x89, 0x7, 0x51, 0x2, 0x2, 
    0x88, 0x87, 0x3, 0x2, 0x2, 0x2, 0x88, 0x89, 0x3, 0x2, 0x2, 0x2, 0x89, 
    0x97, 0x3, 0x2, 0x2, 0x2, 0x8a, 0x8b, 0x7, 0x5, 0x2, 0x2, 0x8b, 0x90, 
    0x5, 0xa, 0x6, 0x2, 0x8c, 0x8d, 0x7, 0x52, 0x2, 0x2, 0x8d, 0x8f, 0x5, 
    0xa, 0x6, 0x2, 0x8e, 0x8c, 0x3, 0x2, 0x2, 0x2, 0x8f, 0x92, 0x3, 0x2, 
    0x2, 0x2, 0x90, 0x8e, 0x3, 0x2, 0x2, 0x2, 0x90, 0x91, 0x3, 0x2, 0x2, 
    0x2, 0x91, 0x94, 0x3, 0x2, 0x2, 0x2, 0x92, 0x90, 0x3, 0x2, 0x2, 0x2, 
    0x93, 0x95, 0x7, 0x51, 0x2, 0x2, 0x94, 0x93, 0x3, 0x2, 0x2, 0x2, 0x94, 
    0x95, 0x3, 0x2, 0x2, 0x2, 0x95, 0x97, 0x3, 0x2, 0x2, 0x2, 0x96, 0x7c, 
    0x3, 0x2, 0x2, 0x2, 0x96, 0x8a, 0x3, 0x2, 0x2, 0x2, 0x97, 0x9, 0x3, 
    0x2, 0x2, 0x2, 0x98, 0x9a, 0x7, 0x22, 0x2, 0x2, 0x99, 0x9b, 0x7, 0x49, 
    0x2, 0x2, 0x9a, 0x99, 0x3, 0x2, 0x2, 0x2, 0x9a, 0x9b, 0x3, 0x2, 0x2, 
    0x2, 0x9b, 0x9f, 0x3, 0x2, 0x2, 0x2, 0x9c, 0x9d, 0x7, 0x56, 0x2, 0x2, 
    0x9d, 0x9e, 0x7, 0x23, 0x2, 0x2, 0x9e, 0xa0, 0x7, 0x57, 0x2, 0x2, 0x9f, 
    0x9c, 0x3, 0x2, 0x2, 0x2, 0x9f, 0xa0, 0x3, 0x2, 0x2, 0x2, 0xa0, 0xa2, 
    0x3, 0x2, 0x2, 0x2, 0xa1, 0xa3, 0x7, 0x49, 0x2, 0x2, 0xa2, 0xa1, 0x3, 
    0x2, 0x2, 0x2, 0xa2, 0xa3, 0x3, 0x2, 0x2, 0x2, 0xa3, 0xa6, 0x3, 0x2, 
    0x2, 0x2, 0xa4, 0xa5, 0x7, 0x42, 0x2, 0x2, 0xa5, 0xa7, 0x5, 0xc, 0x7, 
    0x2, 0xa6, 0xa4, 0x3, 0x2, 0x2, 0x2, 0xa6, 0xa7, 0x3, 0x2, 0x2, 0x2, 
    0xa7, 0xb, 0x3, 0x2, 0x2, 0x2, 0xa8, 0xaa, 0x7, 0x46, 0x2, 0x2, 0xa9, 
    0xa8, 0x3, 0x2, 0x2, 0x2, 0xa9, 0xaa, 0x3, 0x2, 0x2, 0x2, 0xaa, 0xab, 
    0x3, 0x2, 0x2, 0x2, 0xab, 0xb2, 0x7, 0x23, 0x2, 0x2, 0xac, 0xae, 0x7, 
    0x25, 0x2, 0x2, 0xad, 0xac, 0x3, 0x2, 0x2, 0x2, 0xae, 0xaf, 0x3, 0x2, 
    0x2, 0x2, 0xaf, 0xad, 0x3, 0x2, 0x2, 0x2, 0xaf, 0xb0, 0x3, 0x2, 0x2, 
    0x2, 0xb0, 0xb2, 0x3, 0x2, 0x2, 0x2, 0xb1, 0xa9, 0x3, 0x2, 0x2, 0x2, 
    0xb1, 0xad, 0x3, 0x2, 0x2, 0x2, 0xb2, 0xd, 0x3, 0x2, 0x2, 0x2, 0xb3, 
    0xb5, 0x7, 0x5, 0x2, 0x2, 0xb4, 0xb3, 0x3, 0x2, 0x2, 0x2, 0xb4, 0xb5, 
    0x3, 0x2, 0x2, 0x2, 0xb5, 0xb6, 0x3, 0x2, 0x2, 0x2, 0xb6, 0xb7, 0x7, 
    0x6, 0x2, 0x2, 0xb7, 0xba, 0x7, 0x22, 0x2, 0x2, 0xb8, 0xb9, 0x7, 0x50, 
    0x2, 0x2, 0xb9, 0xbb, 0x5, 0x12, 0xa, 0x2, 0xba, 0xb8, 0x3, 0x2, 0x2, 
    0x2, 0xba, 0xbb, 0x3, 0x2, 0x2, 0x2, 0xbb, 0xbc, 0x3, 0x2, 0x2, 0x2, 
    0xbc, 0xc5, 0x7, 0x54, 0x2, 0x2, 0xbd, 0xc2, 0x5, 0x10, 0x9, 0x2, 0xbe, 
    0xbf, 0x7, 0x52, 0x2, 0x2, 0xbf, 0xc1, 0x5, 0x10, 0x9, 0x2, 0xc0, 0xbe, 
    0x3, 0x2, 0x2, 0x2, 0xc1, 0xc4, 0x3, 0x2, 0x2, 0x2, 0xc2, 0xc0, 0x3, 
    0x2, 0x2, 0x2, 0xc2, 0xc3, 0x3, 0x2, 0x2, 0x2, 0xc3, 0xc6, 0x3, 0x2, 
    0x2, 0x2, 0xc4, 0xc2, 0x3, 0x2, 0x2, 0x2, 0xc5, 0xbd, 0x3, 0x2, 0x2, 
    0x2, 0xc5, 0xc6, 0x3, 0x2, 0x2, 0x2, 0xc6, 0xc7, 0x3, 0x2, 0x2, 0x2, 
    0xc7, 0xca, 0x7, 0x55, 0x2, 0x2, 0xc8, 0xc9, 0x7, 0x50, 0x2, 0x2, 0xc9, 
    0xcb, 0x5, 0x14, 0xb, 0x2, 0xca, 0xc8, 0x3, 0x2, 0x2, 0x2, 0xca, 0xcb, 
    0x3, 0x2, 0x2, 0x2, 0xcb, 0xce, 0x3, 0x2, 0x2, 0x2, 0xcc, 0xcf, 0x5, 
    0x2e, 0x18, 0x2, 0xcd, 0xcf, 0x7, 0x1b, 0x2, 0x2, 0xce, 0xcc, 0x3, 0x2, 
    0x2, 0x2, 0xce, 0xcd, 0x3, 0x2, 0x2, 0x2, 0xcf, 0xf, 0x3, 0x2, 0x2, 
    0x2, 0xd0, 0xd3, 0x7, 0x22, 0x2, 0x2, 0xd1, 0xd2, 0x7, 0x50, 0x2, 0x2, 
    0xd2, 0xd4, 0x5, 0x12, 0xa, 0x2, 0xd3, 0xd1, 0x3, 0x2, 0x2, 0x2, 0xd3, 
    0xd4, 0x3, 0x2, 0x2, 0x2, 0xd4, 0x11, 0x3, 0x2, 0x2, 0x2, 0xd5, 0xd6, 
    0x9, 0x2, 0x2, 0x2, 0xd6, 0x13, 0x3, 0x2, 0x2, 0x2, 0xd7, 0xd9, 0x7, 
    0x46, 0x2, 0x2, 0xd8, 0xd7, 0x3, 0x2, 0x2, 0x2, 0xd8, 0xd9, 0x3, 0x2, 
    0x2, 0x2, 0xd9, 0xda, 0x3, 0x2, 0x2, 0x2, 0xda, 0xdb, 0x7, 0x23, 0x2, 
    0x2, 0xdb, 0x15, 0x3, 0x2, 0x2, 0x2, 0xdc, 0xdd, 0x7, 0x3, 0x2, 0x2, 
    0xdd, 0xe3, 0x5, 0x1a, 0xe, 0x2, 0xde, 0xdf, 0x5, 0x18, 0xd, 0x2, 0xdf, 
    0xe0, 0x5, 0x1a, 0xe, 0x2, 0xe0, 0xe2, 0x3, 0x2, 0x2, 0x2, 0xe1, 0xde, 
    0x3, 0x2, 0x2, 0x2, 0xe2, 0xe5, 0x3, 0x2, 0x2, 0x2, 0xe3, 0xe1, 0x3, 
    0x2, 0x2, 0x2, 0xe3, 0xe4, 0x3, 0x2, 0x2, 0x2, 0xe4, 0xe6, 0x3, 0x2, 
    0x2, 0x2, 0xe5, 0xe3, 0x3, 0x2, 0x2, 0x2, 0xe6, 0xe9, 0x5, 0x2e, 0x18, 
    0x2, 0xe7, 0xe8, 0x7, 0x52, 0x2, 0x2, 0xe8, 0xea, 0x5, 0x2e, 0x18, 0x2, 
    0xe9, 0xe7, 0x3, 0x2, 0x2, 0x2, 0xe9, 0xea, 0x3, 0x2, 0x2, 0x2, 0xea, 
    0x17, 0x3, 0x2, 0x2, 0x2, 0xeb, 0xec, 0x9, 0x3, 0x2, 0x2, 0xec, 0x19, 
    0x3, 0x2, 0x2, 0x2, 0xed, 0xf2, 0x5, 0x1c, 0xf, 0x2, 0xee, 0xef, 0x7, 
    0x52, 0x2, 0x2, 0xef, 0xf1, 0x5, 0x1c, 0xf, 0x2, 0xf0, 0xee, 0x3, 0x2, 
    0x2, 0x2, 0xf1, 0xf4, 0x3, 0x2, 0x2, 0x2, 0xf2, 0xf0, 0x3, 0x2, 0x2, 
    0x2, 0xf2, 0xf3, 0x3, 0x2, 0x2, 0x2, 0xf3, 0x1b, 0x3, 0x2, 0x2, 0x2, 
    0xf4, 0xf2, 0x3, 0x2, 0x2, 0x2, 0xf5, 0xfa, 0x5, 0x20, 0x11, 0x2, 0xf6, 
    0xf7, 0x7, 0x53, 0x2, 0x2, 0xf7, 0xf9, 0x5, 0x20, 0x11, 0x2, 0xf8, 0xf6, 
    0x3, 0x2, 0x2, 0x2, 0xf9, 0xfc, 0x3, 0x2, 0x2, 0x2, 0xfa, 0xf8, 0x3, 
    0x2, 0x2, 0x2, 0xfa, 0xfb, 0x3, 0x2, 0x2, 0x2, 0xfb, 0x100, 0x3, 0x2, 
    0x2, 0x2, 0xfc, 0xfa, 0x3, 0x2, 0x2, 0x2, 0xfd, 0xff, 0x5, 0x1e, 0x10, 
    0x2, 0xfe, 0xfd, 0x3, 0x2, 0x2, 0x2, 0xff, 0x102, 0x3, 0x2, 0x2, 0x2, 
    0x100, 0xfe, 0x3, 0x2, 0x2, 0x2, 0x100, 0x101, 0x3, 0x2, 0x2, 0x2, 0x101, 
    0x108, 0x3, 0x2, 0x2, 0x2, 0x102, 0x100, 0x3, 0x2, 0x2, 0x2, 0x103, 
    0x104, 0x7, 0x7, 0x2, 0x2, 0x104, 0x105, 0x7, 0x54, 0x2, 0x2, 0x105, 
    0x106, 0x5, 0x3e, 0x20, 0x2, 0x106, 0x107, 0x7, 0x55, 0x2, 0x2, 0x107, 
    0x109, 0x3, 0x2, 0x2, 0x2, 0x108, 0x103, 0x3, 0x2, 0x2, 0x2, 0x108, 
    0x109, 0x3, 0x2, 0x2, 0x2, 0x109, 0x1d, 0x3, 0x2, 0x2, 0x2, 0x10a, 0x10b, 
    0x9, 0x4, 0x2, 0x2, 0x10b, 0x1f, 0x3, 0x2, 0x2, 0x2, 0x10c, 0x111, 0x5, 
    0x24, 0x13, 0x2, 0x10d, 0x10e, 0x7, 0x54, 0x2, 0x2, 0x10e, 0x10f, 0x5, 
    0x28, 0x15, 0x2, 0x10f, 0x110, 0x7, 0x55, 0x2, 0x2, 0x110, 0x112, 0x3, 
    0x2, 0x2, 0x2, 0x111, 0x10d, 0x3, 0x2, 0x2, 0x2, 0x111, 0x112, 0x3, 
    0x2, 0x2, 0x2, 0x112, 0x11f, 0x3, 0x2, 0x2, 0x2, 0x113, 0x114, 0x7, 
    0x58, 0x2, 0x2, 0x114, 0x119, 0x5, 0x22, 0x12, 0x2, 0x115, 0x116, 0x7, 
    0x52, 0x2, 0x2, 0x116, 0x118, 0x5, 0x22, 0x12, 0x2, 0x117, 0x115, 0x3, 
    0x2, 0x2, 0x2, 0x118, 0x11b, 0x3, 0x2, 0x2, 0x2, 0x119, 0x117, 0x3, 
    0x2, 0x2, 0x2, 0x119, 0x11a, 0x3, 0x2, 0x2, 0x2, 0x11a, 0x11c, 0x3, 
    0x2, 0x2, 0x2, 0x11b, 0x119, 0x3, 0x2, 0x2, 0x2, 0x11c, 0x11d, 0x7, 
    0x59, 0x2, 0x2, 0x11d, 0x11f, 0x3, 0x2, 0x2, 0x2, 0x11e, 0x10c, 0x3, 
    0x2, 0x2, 0x2, 0x11e, 0x113, 0x3, 0x2, 0x2, 0x2, 0x11f, 0x21, 0x3, 0x2, 
    0x2, 0x2, 0x120, 0x125, 0x5, 0x20, 0x11, 0x2, 0x121, 0x122, 0x7, 0x53, 
    0x2, 0x2, 0x122, 0x124, 0x5, 0x20, 0x11, 0x2, 0x123, 0x121, 0x3, 0x2, 
    0x2, 0x2, 0x124, 0x127, 0x3, 0x2, 0x2, 0x2, 0x125, 0x123, 0x3, 0x2, 
    0x2, 0x2, 0x125, 0x126, 0x3, 0x2, 0x2, 0x2, 0x126, 0x23, 0x3, 0x2, 0x2, 
    0x2, 0x127, 0x125, 0x3, 0x2, 0x2, 0x2, 0x128, 0x12b, 0x5, 0x26, 0x14, 
    0x2, 0x129, 0x12b, 0x7, 0x7, 0x2, 0x2, 0x12a, 0x128, 0x3, 0x2, 0x2, 
    0x2, 0x12a, 0x129, 0x3, 0x2, 0x2, 0x2, 0x12b, 0x130, 0x3, 0x2, 0x2, 
    0x2, 0x12c, 0x12d, 0x6, 0x13, 0x2, 0x2, 0x12d, 0x12f, 0x5, 0x26, 0x14, 
    0x2, 0x12e, 0x12c, 0x3, 0x2, 0x2, 0x2, 0x12f, 0x132, 0x3, 0x2, 0x2, 
    0x2, 0x130, 0x12e, 0x3, 0x2, 0x2, 0x2, 0x130, 0x131, 0x3, 0x2, 0x2, 
    0x2, 0x131, 0x25, 0x3, 0x2, 0x2, 0x2, 0x132, 0x130, 0x3, 0x2, 0x2, 0x2, 
    0x133, 0x137, 0x7, 0x22, 0x2, 0x2, 0x134, 0x137, 0x7, 0x47, 0x2, 0x2, 
    0x135, 0x137, 0x5, 0x2c, 0x17, 0x2, 0x136, 0x133, 0x3, 0x2, 0x2, 0x2, 
    0x136, 0x134, 0x3, 0x2, 0x2, 0x2, 0x136, 0x135, 0x3, 0x2, 0x2, 0x2, 
    0x137, 0x27, 0x3, 0x2, 0x2, 0x2, 0x138, 0x145, 0x5, 0x2a, 0x16, 0x2, 
    0x139, 0x13a, 0x7, 0x58, 0x2, 0x2, 0x13a, 0x13f, 0x5, 0x2a, 0x16, 0x2, 
    0x13b, 0x13c, 0x7, 0x52, 0x2, 0x2, 0x13c, 0x13e, 0x5, 0x2a, 0x16, 0x2, 
    0x13d, 0x13b, 0x3, 0x2, 0x2, 0x2, 0x13e, 0x141, 0x3, 0x2, 0x2, 0x2, 
    0x13f, 0x13d, 0x3, 0x2, 0x2, 0x2, 0x13f, 0x140, 0x3, 0x2, 0x2, 0x2, 
    0x140, 0x142, 0x3, 0x2, 0x2, 0x2, 0x141, 0x13f, 0x3, 0x2, 0x2, 0x2, 
    0x142, 0x143, 0x7, 0x59, 0x2, 0x2, 0x143, 0x145, 0x3, 0x2, 0x2, 0x2, 
    0x144, 0x138, 0x3, 0x2, 0x2, 0x2, 0x144, 0x139, 0x3, 0x2, 0x2, 0x2, 
    0x145, 0x29, 0x3, 0x2, 0x2, 0x2, 0x146, 0x148, 0x7, 0x46, 0x2, 0x2, 
    0x147, 0x146, 0x3, 0x2, 0x2, 0x2, 0x147, 0x148, 0x3, 0x2, 0x2, 0x2, 
    0x148, 0x149, 0x3, 0x2, 0x2, 0x2, 0x149, 0x150, 0x7, 0x23, 0x2, 0x2, 
    0x14a, 0x14c, 0x7, 0x25, 0x2, 0x2, 0x14b, 0x14a, 0x3, 0x2, 0x2, 0x2, 
    0x14c, 0x14d, 0x3, 0x2, 0x2, 0x2, 0x14d, 0x14b, 0x3, 0x2, 0x2, 0x2, 
    0x14d, 0x14e, 0x3, 0x2, 0x2, 0x2, 0x14e, 0x150, 0x3, 0x2, 0x2, 0x2, 
    0x14f, 0x147, 0x3, 0x2, 0x2, 0x2, 0x14f, 0x14b, 0x3, 0x2, 0x2, 0x2, 
    0x150, 0x2b, 0x3, 0x2, 0x2, 0x2, 0x151, 0x152, 0x9, 0x5, 0x2, 0x2, 0x152, 
    0x2d, 0x3, 0x2, 0x2, 0x2, 0x153, 0x157, 0x7, 0x58, 0x2, 0x2, 0x154, 
    0x156, 0x5, 0x30, 0x19, 0x2, 0x155, 0x154, 0x3, 0x2, 0x2, 0x2, 0x156, 
    0x159, 0x3, 0x2, 0x2, 0x2, 0x157, 0x155, 0x3, 0x2, 0x2, 0x2, 0x157, 
    0x158, 0x3, 0x2, 0x2, 0x2, 0x158, 0x15a, 0x3, 0x2, 0x2, 0x2, 0x159, 
    0x157, 0x3, 0x2, 0x2, 0x2, 0x15a, 0x15b, 0x7, 0x59, 0x2, 0x2, 0x15b, 
    0x2f, 0x3, 0x2, 0x2, 0x2, 0x15c, 0x1aa, 0x5, 0x2e, 0x18, 0x2, 0x15d, 
    0x1aa, 0x7, 0x51, 0x2, 0x2, 0x15e, 0x15f, 0x7, 0x7, 0x2, 0x2, 0x15f, 
    0x160, 0x7, 0x54, 0x2, 0x2, 0x160, 0x161, 0x5, 0x3e, 0x20, 0x2, 0x161, 
    0x162, 0x7, 0x55, 0x2, 0x2, 0x162, 0x165, 0x5, 0x30, 0x19, 0x2, 0x163, 
    0x164, 0x7, 0x8, 0x2, 0x2, 0x164, 0x166, 0x5, 0x30, 0x19, 0x2, 0x165, 
    0x163, 0x3, 0x2, 0x2, 0x2, 0x165, 0x166, 0x3, 0x2, 0x2, 0x2, 0x166, 
    0x1aa, 0x3, 0x2, 0x2, 0x2, 0x167, 0x168, 0x7, 0x9, 0x2, 0x2, 0x168, 
    0x169, 0x7, 0x54, 0x2, 0x2, 0x169, 0x16a, 0x5, 0x3e, 0x20, 0x2, 0x16a, 
    0x16b, 0x7, 0x55, 0x2, 0x2, 0x16b, 0x16c, 0x5, 0x30, 0x19, 0x2, 0x16c, 
    0x1aa, 0x3, 0x2, 0x2, 0x2, 0x16d, 0x16e, 0x7, 0xa, 0x2, 0x2, 0x16e, 
    0x170, 0x7, 0x54, 0x2, 0x2, 0x16f, 0x171, 0x5, 0x3e, 0x20, 0x2, 0x170, 
    0x16f, 0x3, 0x2, 0x2, 0x2, 0x170, 0x171, 0x3, 0x2, 0x2, 0x2, 0x171, 
    0x172, 0x3, 0x2, 0x2, 0x2, 0x172, 0x174, 0x7, 0x51, 0x2, 0x2, 0x173, 
    0x175, 0x5, 0x3e, 0x20, 0x2, 0x174, 0x173, 0x3, 0x2, 0x2, 0x2, 0x174, 
    0x175, 0x3, 0x2, 0x2, 0x2, 0x175, 0x176, 0x3, 0x2, 0x2, 0x2, 0x176, 
    0x178, 0x7, 0x51, 0x2, 0x2, 0x177, 0x179, 0x5, 0x3e, 0x20, 0x2, 0x178, 
    0x177, 0x3, 0x2, 0x2, 0x2, 0x178, 0x179, 0x3, 0x2, 0x2, 0x2, 0x179, 
    0x17a, 0x3, 0x2, 0x2, 0x2, 0x17a, 0x17b, 0x7, 0x55, 0x2, 0x2, 0x17b, 
    0x1aa, 0x5, 0x30, 0x19, 0x2, 0x17c, 0x17d, 0x7, 0xb, 0x2, 0x2, 0x17d, 
    0x17e, 0x7, 0x54, 0x2, 0x2, 0x17e, 0x17f, 0x5, 0x32, 0x1a, 0x2, 0x17f, 
    0x180, 0x7, 0x55, 0x2, 0x2, 0x180, 0x181, 0x5, 0x30, 0x19, 0x2, 0x181, 
    0x1aa, 0x3, 0x2, 0x2, 0x2, 0x182, 0x184, 0x7, 0xe, 0x2, 0x2, 0x183, 
    0x185, 0x7, 0x51, 0x2, 0x2, 0x184, 0x183, 0x3, 0x2, 0x2, 0x2, 0x184, 
    0x185, 0x3, 0x2, 0x2, 0x2, 0x185, 0x1aa, 0x3, 0x2, 0x2, 0x2, 0x186, 
    0x188, 0x7, 0xf, 0x2, 0x2, 0x187, 0x189, 0x7, 0x51, 0x2, 0x2, 0x188, 
    0x187, 0x3, 0x2, 0x2, 0x2, 0x188, 0x189, 0x3, 0x2, 0x2, 0x2, 0x189, 
    0x1aa, 0x3, 0x2, 0x2, 0x2, 0x18a, 0x18c, 0x7, 0x10, 0x2, 0x2, 0x18b, 
    0x18d, 0x7, 0x51, 0x2, 0x2, 0x18c, 0x18b, 0x3, 0x2, 0x2, 0x2, 0x18c, 
    0x18d, 0x3, 0x2, 0x2, 0x2, 0x18d, 0x1aa, 0x3, 0x2, 0x2, 0x2, 0x18e, 
    0x190, 0x7, 0x11, 0x2, 0x2, 0x18f, 0x191, 0x5, 0x3e, 0x20, 0x2, 0x190, 
    0x18f, 0x3, 0x2, 0x2, 0x2, 0x190, 0x191, 0x3, 0x2, 0x2, 0x2, 0x191, 
    0x193, 0x3, 0x2, 0x2, 0x2, 0x192, 0x194, 0x7, 0x51, 0x2, 0x2, 0x193, 
    0x192, 0x3, 0x2, 0x2, 0x2, 0x193, 0x194, 0x3, 0x2, 0x2, 0x2, 0x194, 
    0x1aa, 0x3, 0x2, 0x2, 0x2, 0x195, 0x196, 0x7, 0x12, 0x2, 0x2, 0x196, 
    0x198, 0x5, 0x3e, 0x20, 0x2, 0x197, 0x199, 0x7, 0x51, 0x2, 0x2, 0x198, 
    0x197, 0x3, 0x2, 0x2, 0x2, 0x198, 0x199, 0x3, 0x2, 0x2, 0x2, 0x199, 
    0x1aa, 0x3, 0x2, 0x2, 0x2, 0x19a, 0x19b, 0x7, 0x13, 0x2, 0x2, 0x19b, 
    0x19c, 0x5, 0x2e, 0x18, 0x2, 0x19c, 0x1a0, 0x7, 0x14, 0x2, 0x2, 0x19d, 
    0x19e, 0x7, 0x54, 0x2, 0x2, 0x19e, 0x19f, 0x7, 0x22, 0x2, 0x2, 0x19f, 
    0x1a1, 0x7, 0x55, 0x2, 0x2, 0x1a0, 0x19d, 0x3, 0x2, 0x2, 0x2, 0x1a0, 
    0x1a1, 0x3, 0x2, 0x2, 0x2, 0x1a1, 0x1a2, 0x3, 0x2, 0x2, 0x2, 0x1a2, 
    0x1a3, 0x5, 0x2e, 0x18, 0x2, 0x1a3, 0x1aa, 0x3, 0x2, 0x2, 0x2, 0x1a4, 
    0x1aa, 0x5, 0x6, 0x4, 0x2, 0x1a5, 0x1a7, 0x5, 0x3e, 0x20, 0x2, 0x1a6, 
    0x1a8, 0x7, 0x51, 0x2, 0x2, 0x1a7, 0x1a6, 0x3, 0x2, 0x2, 0x2, 0x1a7, 
    0x1a8, 0x3, 0x2, 0x2, 0x2, 0x1a8, 0x1aa, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x15c, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x15d, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x15e, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x167, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x16d, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x17c, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x182, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x186, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x18a, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x18e, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x195, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x19a, 0x3, 0x2, 0x2, 0x2, 0x1a9, 
    0x1a4, 0x3, 0x2, 0x2, 0x2, 0x1a9, 0x1a5, 0x3, 0x2, 0x2, 0x2, 0x1aa, 
    0x31, 0x3, 0x2, 0x2, 0x2, 0x1ab, 0x1ad, 0x7, 0x22, 0x2, 0x2, 0x1ac, 
    0x1ae, 0x5, 0x38, 0x1d, 0x2, 0x1ad, 0x1ac, 0x3, 0x2, 0x2, 0x2, 0x1ad, 
    0x1ae, 0x3, 0x2, 0x2, 0x2, 0x1ae, 0x1af, 0x3, 0x2, 0x2, 0x2, 0x1af, 
    0x1b1, 0x7, 0x42, 0x2, 0x2, 0x1b0, 0x1ab, 0x3, 0x2, 0x2, 0x2, 0x1b0, 
    0x1b1, 0x3, 0x2, 0x2, 0x2, 0x1b1, 0x1b2, 0x3, 0x2, 0x2, 0x2, 0x1b2, 
    0x1b3, 0x5, 0x34, 0x1b, 0x2, 0x1b3, 0x1b4, 0x7, 0xc, 0x2, 0x2, 0x1b4, 
    0x1b6, 0x5, 0x3a, 0x1e, 0x2, 0x1b5, 0x1b7, 0x7, 0x21, 0x2, 0x2, 0x1b6, 
    0x1b5, 0x3, 0x2, 0x2, 0x2, 0x1b6, 0x1b7, 0x3, 0x2, 0x2, 0x2, 0x1b7, 
    0x1b9, 0x3, 0x2, 0x2, 0x2, 0x1b8, 0x1ba, 0x5, 0x38, 0x1d, 0x2, 0x1b9, 
    0x1b8, 0x3, 0x2, 0x2, 0x2, 0x1b9, 0x1ba, 0x3, 0x2, 0x2, 0x2, 0x1ba, 
    0x1bd, 0x3, 0x2, 0x2, 0x2, 0x1bb, 0x1bc, 0x7, 0xd, 0x2, 0x2, 0x1bc, 
    0x1be, 0x5, 0x3e, 0x20, 0x2, 0x1bd, 0x1bb, 0x3, 0x2, 0x2, 0x2, 0x1bd, 
    0x1be, 0x3, 0x2, 0x2, 0x2, 0x1be, 0x33, 0x3, 0x2, 0x2, 0x2, 0x1bf, 0x1cc, 
    0x5, 0x36, 0x1c, 0x2, 0x1c0, 0x1c1, 0x7, 0x56, 0x2, 0x2, 0x1c1, 0x1c6, 
    0x5, 0x36, 0x1c, 0x2, 0x1c2, 0x1c3, 0x7, 0x52, 0x2, 0x2, 0x1c3, 0x1c5, 
    0x5, 0x36, 0x1c, 0x2, 0x1c4, 0x1c2, 0x3, 0x2, 0x2, 0x2, 0x1c5, 0x1c8, 
    0x3, 0x2, 0x2, 0x2, 0x1c6, 0x1c4, 0x3, 0x2, 0x2, 0x2, 0x1c6, 0x1c7, 
    0x3, 0x2, 0x2, 0x2, 0x1c7, 0x1c9, 0x3, 0x2, 0x2, 0x2, 0x1c8, 0x1c6, 
    0x3, 0x2, 0x2, 0x2, 0x1c9, 0x1ca, 0x7, 0x57, 0x2, 0x2, 0x1ca, 0x1cc, 
    0x3, 0x2, 0x2, 0x2, 0x1cb, 0x1bf, 0x3, 0x2, 0x2, 0x2, 0x1cb, 0x1c0, 
    0x3, 0x2, 0x2, 0x2, 0x1cc, 0x35, 0x3, 0x2, 0x2, 0x2, 0x1cd, 0x1cf, 0x7, 
    0x22, 0x2, 0x2, 0x1ce, 0x1d0, 0x5, 0x38, 0x1d, 0x2, 0x1cf, 0x1ce, 0x3, 
    0x2, 0x2, 0x2, 0x1cf, 0x1d0, 0x3, 0x2, 0x2, 0x2, 0x1d0, 0x37, 0x3, 0x2, 
    0x2, 0x2, 0x1d1, 0x1d2, 0x9, 0x6, 0x2, 0x2, 0x1d2, 0x39, 0x3, 0x2, 0x2, 
    0x2, 0x1d3, 0x1df, 0x7, 0x22, 0x2, 0x2, 0x1d4, 0x1d5, 0x7, 0x56, 0x2, 
    0x2, 0x1d5, 0x1da, 0x5, 0x3c, 0x1f, 0x2, 0x1d6, 0x1d7, 0x7, 0x52, 0x2, 
    0x2, 0x1d7, 0x1d9, 0x5, 0x3c, 0x1f, 0x2, 0x1d8, 0x1d6, 0x3, 0x2, 0x2, 
    0x2, 0x1d9, 0x1dc, 0x3, 0x2, 0x2, 0x2, 0x1da, 0x1d8, 0x3, 0x2, 0x2, 
    0x2, 0x1da, 0x1db, 0x3, 0x2, 0x2, 0x2, 0x1db, 0x1dd, 0x3, 0x2, 0x2, 
    0x2, 0x1dc, 0x1da, 0x3, 0x2, 0x2, 0x2, 0x1dd, 0x1de, 0x7, 0x57, 0x2, 
    0x2, 0x1de, 0x1e0, 0x3, 0x2, 0x2, 0x2, 0x1df, 0x1d4, 0x3, 0x2, 0x2, 
    0x2, 0x1df, 0x1e0, 0x3, 0x2, 0x2, 0x2, 0x1e0, 0x1e3, 0x3, 0x2, 0x2, 
    0x2, 0x1e1, 0x1e3, 0x5, 0x64, 0x33, 0x2, 0x1e2, 0x1d3, 0x3, 0x2, 0x2, 
    0x2, 0x1e2, 0x1e1, 0x3, 0x2, 0x2, 0x2, 0x1e3, 0x3b, 0x3, 0x2, 0x2, 0x2, 
    0x1e4, 0x1e7, 0x7, 0x47, 0x2, 0x2, 0x1e5, 0x1e7, 0x5, 0x3e, 0x20, 0x2, 
    0x1e6, 0x1e4, 0x3, 0x2, 0x2, 0x2, 0x1e6, 0x1e5, 0x3, 0x2, 0x2, 0x2, 
    0x1e7, 0x3d, 0x3, 0x2, 0x2, 0x2, 0x1e8, 0x1e9, 0x5, 0x40, 0x21, 0x2, 
    0x1e9, 0x3f, 0x3, 0x2, 0x2, 0x2, 0x1ea, 0x1ed, 0x5, 0x42, 0x22, 0x2, 
    0x1eb, 0x1ec, 0x9, 0x7, 0x2, 0x2, 0x1ec, 0x1ee, 0x5, 0x40, 0x21, 0x2, 
    0x1ed, 0x1eb, 0x3, 0x2, 0x2, 0x2, 0x1ed, 0x1ee, 0x3, 0x2, 0x2, 0x2, 
    0x1ee, 0x41, 0x3, 0x2, 0x2, 0x2, 0x1ef, 0x1f5, 0x5, 0x44, 0x23, 0x2, 
    0x1f0, 0x1f1, 0x7, 0x4f, 0x2, 0x2, 0x1f1, 0x1f2, 0x5, 0x3e, 0x20, 0x2, 
    0x1f2, 0x1f3, 0x7, 0x50, 0x2, 0x2, 0x1f3, 0x1f4, 0x5, 0x3e, 0x20, 0x2, 
    0x1f4, 0x1f6, 0x3, 0x2, 0x2, 0x2, 0x1f5, 0x1f0, 0x3, 0x2, 0x2, 0x2, 
    0x1f5, 0x1f6, 0x3, 0x2, 0x2, 0x2, 0x1f6, 0x43, 0x3, 0x2, 0x2, 0x2, 0x1f7, 
    0x1fc, 0x5, 0x46, 0x24, 0x2, 0x1f8, 0x1f9, 0x7, 0x39, 0x2, 0x2, 0x1f9, 
    0x1fb, 0x5, 0x46, 0x24, 0x2, 0x1fa, 0x1f8, 0x3, 0x2, 0x2, 0x2, 0x1fb, 
    0x1fe, 0x3, 0x2, 0x2, 0x2, 0x1fc, 0x1fa, 0x3, 0x2, 0x2, 0x2, 0x1fc, 
    0x1fd, 0x3, 0x2, 0x2, 0x2, 0x1fd, 0x45, 0x3, 0x2, 0x2, 0x2, 0x1fe, 0x1fc, 
    0x3, 0x2, 0x2, 0x2, 0x1ff, 0x204, 0x5, 0x48, 0x25, 0x2, 0x200, 0x201, 
    0x7, 0x38, 0x2, 0x2, 0x201, 0x203, 0x5, 0x48, 0x25, 0x2, 0x202, 0x200, 
    0x3, 0x2, 0x2, 0x2, 0x203, 0x206, 0x3, 0x2, 0x2, 0x2, 0x204, 0x202, 
    0x3, 0x2, 0x2, 0x2, 0x204, 0x205, 0x3, 0x2, 0x2, 0x2, 0x205, 0x47, 0x3, 
    0x2, 0x2, 0x2, 0x206, 0x204, 0x3, 0x2, 0x2, 0x2, 0x207, 0x20c, 0x5, 
    0x4a, 0x26, 0x2, 0x208, 0x209, 0x7, 0x4b, 0x2, 0x2, 0x209, 0x20b, 0x5, 
    0x4a, 0x26, 0x2, 0x20a, 0x208, 0x3, 0x2, 0x2, 0x2, 0x20b, 0x20e, 0x3, 
    0x2, 0x2, 0x2, 0x20c, 0x20a, 0x3, 0x2, 0x2, 0x2, 0x20c, 0x20d, 0x3, 
    0x2, 0x2, 0x2, 0x20d, 0x49, 0x3, 0x2, 0x2, 0x2, 0x20e, 0x20c, 0x3, 0x2, 
    0x2, 0x2, 0x20f, 0x214, 0x5, 0x4c, 0x27, 0x2, 0x210, 0x211, 0x7, 0x4c, 
    0x2, 0x2, 0x211, 0x213, 0x5, 0x4c, 0x27, 0x2, 0x212, 0x210, 0x3, 0x2, 
    0x2, 0x2, 0x213, 0x216, 0x3, 0x2, 0x2, 0x2, 0x214, 0x212, 0x3, 0x2, 
    0x2, 0x2, 0x214, 0x215, 0x3, 0x2, 0x2, 0x2, 0x215, 0x4b, 0x3, 0x2, 0x2, 
    0x2, 0x216, 0x214, 0x3, 0x2, 0x2, 0x2, 0x217, 0x21c, 0x5, 0x4e, 0x28, 
    0x2, 0x218, 0x219, 0x7, 0x4a, 0x2, 0x2, 0x219, 0x21b, 0x5, 0x4e, 0x28, 
    0x2, 0x21a, 0x218, 0x3, 0x2, 0x2, 0x2, 0x21b, 0x21e, 0x3, 0x2, 0x2, 
    0x2, 0x21c, 0x21a, 0x3, 0x2, 0x2, 0x2, 0x21c, 0x21d, 0x3, 0x2, 0x2, 
    0x2, 0x21d, 0x4d, 0x3, 0x2, 0x2, 0x2, 0x21e, 0x21c, 0x3, 0x2, 0x2, 0x2, 
    0x21f, 0x222, 0x5, 0x54, 0x2b, 0x2, 0x220, 0x221, 0x7, 0xc, 0x2, 0x2, 
    0x221, 0x223, 0x7, 0x22, 0x2, 0x2, 0x222, 0x220, 0x3, 0x2, 0x2, 0x2, 
    0x222, 0x223, 0x3, 0x2, 0x2, 0x2, 0x223, 0x232, 0x3, 0x2, 0x2, 0x2, 
    0x224, 0x225, 0x7, 0x56, 0x2, 0x2, 0x225, 0x22a, 0x5, 0x50, 0x29, 0x2, 
    0x226, 0x227, 0x7, 0x52, 0x2, 0x2, 0x227, 0x229, 0x5, 0x50, 0x29, 0x2, 
    0x228, 0x226, 0x3, 0x2, 0x2, 0x2, 0x229, 0x22c, 0x3, 0x2, 0x2, 0x2, 
    0x22a, 0x228, 0x3, 0x2, 0x2, 0x2, 0x22a, 0x22b, 0x3, 0x2, 0x2, 0x2, 
    0x22b, 0x22d, 0x3, 0x2, 0x2, 0x2, 0x22c, 0x22a, 0x3, 0x2, 0x2, 0x2, 
    0x22d, 0x22e, 0x7, 0x57, 0x2, 0x2, 0x22e, 0x22f, 0x7, 0xc, 0x2, 0x2, 
    0x22f, 0x230, 0x7, 0x22, 0x2, 0x2, 0x230, 0x232, 0x3, 0x2, 0x2, 0x2, 
    0x231, 0x21f, 0x3, 0x2, 0x2, 0x2, 0x231, 0x224, 0x3, 0x2, 0x2, 0x2, 
    0x232, 0x4f, 0x3, 0x2, 0x2, 0x2, 0x233, 0x236, 0x7, 0x47, 0x2, 0x2, 
    0x234, 0x236, 0x5, 0x3e, 0x20, 0x2, 0x235, 0x233, 0x3, 0x2, 0x2, 0x2, 
    0x235, 0x234, 0x3, 0x2, 0x2, 0x2, 0x236, 0x51, 0x3, 0x2, 0x2, 0x2, 0x237, 
    0x23a, 0x7, 0x47, 0x2, 0x2, 0x238, 0x23a, 0x5, 0x3e, 0x20, 0x2, 0x239, 
    0x237, 0x3, 0x2, 0x2, 0x2, 0x239, 0x238, 0x3, 0x2, 0x2, 0x2, 0x23a, 
    0x53, 0x3, 0x2, 0x2, 0x2, 0x23b, 0x240, 0x5, 0x56, 0x2c, 0x2, 0x23c, 
    0x23d, 0x9, 0x8, 0x2, 0x2, 0x23d, 0x23f, 0x5, 0x56, 0x2c, 0x2, 0x23e, 
    0x23c, 0x3, 0x2, 0x2, 0x2, 0x23f, 0x242, 0x3, 0x2, 0x2, 0x2, 0x240, 
    0x23e, 0x3, 0x2, 0x2, 0x2, 0x240, 0x241, 0x3, 0x2, 0x2, 0x2, 0x241, 
    0x55, 0x3, 0x2, 0x2, 0x2, 0x242, 0x240, 0x3, 0x2, 0x2, 0x2, 0x243, 0x248, 
    0x5, 0x58, 0x2d, 0x2, 0x244, 0x245, 0x9, 0x9, 0x2, 0x2, 0x245, 0x247, 
    0x5, 0x58, 0x2d, 0x2, 0x246, 0x244, 0x3, 0x2, 0x2, 0x2, 0x247, 0x24a, 
    0x3, 0x2, 0x2, 0x2, 0x248, 0x246, 0x3, 0x2, 0x2, 0x2, 0x248, 0x249, 
    0x3, 0x2, 0x2, 0x2, 0x249, 0x57, 0x3, 0x2, 0x2, 0x2, 0x24a, 0x248, 0x3, 
    0x2, 0x2, 0x2, 0x24b, 0x250, 0x5, 0x5a, 0x2e, 0x2, 0x24c, 0x24d, 0x7, 
    0x53, 0x2, 0x2, 0x24d, 0x24f, 0x5, 0x5a, 0x2e, 0x2, 0x24e, 0x24c, 0x3, 
    0x2, 0x2, 0x2, 0x24f, 0x252, 0x3, 0x2, 0x2, 0x2, 0x250, 0x24e, 0x3, 
    0x2, 0x2, 0x2, 0x250, 0x251, 0x3, 0x2, 0x2, 0x2, 0x251, 0x59, 0x3, 0x2, 
    0x2, 0x2, 0x252, 0x250, 0x3, 0x2, 0x2, 0x2, 0x253, 0x258, 0x5, 0x5c, 
    0x2f, 0x2, 0x254, 0x255, 0x9, 0x6, 0x2, 0x2, 0x255, 0x257, 0x5, 0x5c, 
    0x2f, 0x2, 0x256, 0x254, 0x3, 0x2, 0x2, 0x2, 0x257, 0x25a, 0x3, 0x2, 
    0x2, 0x2, 0x258, 0x256, 0x3, 0x2, 0x2, 0x2, 0x258, 0x259, 0x3, 0x2, 
    0x2, 0x2, 0x259, 0x5b, 0x3, 0x2, 0x2, 0x2, 0x25a, 0x258, 0x3, 0x2, 0x2, 
    0x2, 0x25b, 0x260, 0x5, 0x5e, 0x30, 0x2, 0x25c, 0x25d, 0x9, 0xa, 0x2, 
    0x2, 0x25d, 0x25f, 0x5, 0x5e, 0x30, 0x2, 0x25e, 0x25c, 0x3, 0x2, 0x2, 
    0x2, 0x25f, 0x262, 0x3, 0x2, 0x2, 0x2, 0x260, 0x25e, 0x3, 0x2, 0x2, 
    0x2, 0x260, 0x261, 0x3, 0x2, 0x2, 0x2, 0x261, 0x5d, 0x3, 0x2, 0x2, 0x2, 
    0x262, 0x260, 0x3, 0x2, 0x2, 0x2, 0x263, 0x264, 0x9, 0xb, 0x2, 0x2, 
    0x264, 0x269, 0x5, 0x5e, 0x30, 0x2, 0x265, 0x266, 0x9, 0xc, 0x2, 0x2, 
    0x266, 0x269, 0x5, 0x5e, 0x30, 0x2, 0x267, 0x269, 0x5, 0x60, 0x31, 0x2, 
    0x268, 0x263, 0x3, 0x2, 0x2, 0x2, 0x268, 0x265, 0x3, 0x2, 0x2, 0x2, 
    0x268, 0x267, 0x3, 0x2, 0x2, 0x2, 0x269, 0x5f, 0x3, 0x2, 0x2, 0x2, 0x26a, 
    0x26c, 0x5, 0x62, 0x32, 0x2, 0x26b, 0x26d, 0x9, 0xc, 0x2, 0x2, 0x26c, 
    0x26b, 0x3, 0x2, 0x2, 0x2, 0x26c, 0x26d, 0x3, 0x2, 0x2, 0x2, 0x26d, 
    0x61, 0x3, 0x2, 0x2, 0x2, 0x26e, 0x2b4, 0x7, 0x23, 0x2, 0x2, 0x26f, 
    0x271, 0x7, 0x25, 0x2, 0x2, 0x270, 0x26f, 0x3, 0x2, 0x2, 0x2, 0x271, 
    0x272, 0x3, 0x2, 0x2, 0x2, 0x272, 0x270, 0x3, 0x2, 0x2, 0x2, 0x272, 
    0x273, 0x3, 0x2, 0x2, 0x2, 0x273, 0x2b4, 0x3, 0x2, 0x2, 0x2, 0x274, 
    0x275, 0x7, 0x54, 0x2, 0x2, 0x275, 0x276, 0x5, 0x3e, 0x20, 0x2, 0x276, 
    0x277, 0x7, 0x55, 0x2, 0x2, 0x277, 0x2b4, 0x3, 0x2, 0x2, 0x2, 0x278, 
    0x279, 0x7, 0x22, 0x2, 0x2, 0x279, 0x282, 0x7, 0x54, 0x2, 0x2, 0x27a, 
    0x27f, 0x5, 0x3e, 0x20, 0x2, 0x27b, 0x27c, 0x7, 0x52, 0x2, 0x2, 0x27c, 
    0x27e, 0x5, 0x3e, 0x20, 0x2, 0x27d, 0x27b, 0x3, 0x2, 0x2, 0x2, 0x27e, 
    0x281, 0x3, 0x2, 0x2, 0x2, 0x27f, 0x27d, 0x3, 0x2, 0x2, 0x2, 0x27f, 
    0x280, 0x3, 0x2, 0x2, 0x2, 0x280, 0x283, 0x3, 0x2, 0x2, 0x2, 0x281, 
    0x27f, 0x3, 0x2, 0x2, 0x2, 0x282, 0x27a, 0x3, 0x2, 0x2, 0x2, 0x282, 
    0x283, 0x3, 0x2, 0x2, 0x2, 0x283, 0x284, 0x3, 0x2, 0x2, 0x2, 0x284, 
    0x2b4, 0x7, 0x55, 0x2, 0x2, 0x285, 0x291, 0x7, 0x22, 0x2, 0x2, 0x286, 
    0x287, 0x7, 0x56, 0x2, 0x2, 0x287, 0x28c, 0x5, 0x52, 0x2a, 0x2, 0x288, 
    0x289, 0x7, 0x52, 0x2, 0x2, 0x289, 0x28b, 0x5, 0x52, 0x2a, 0x2, 0x28a, 
    0x288, 0x3, 0x2, 0x2, 0x2, 0x28b, 0x28e, 0x3, 0x2, 0x2, 0x2, 0x28c, 
    0x28a, 0x3, 0x2, 0x2, 0x2, 0x28c, 0x28d, 0x3, 0x2, 0x2, 0x2, 0x28d, 
    0x28f, 0x3, 0x2, 0x2, 0x2, 0x28e, 0x28c, 0x3, 0x2, 0x2, 0x2, 0x28f, 
    0x290, 0x7, 0x57, 0x2, 0x2, 0x290, 0x292, 0x3, 0x2, 0x2, 0x2, 0x291, 
    0x286, 0x3, 0x2, 0x2, 0x2, 0x291, 0x292, 0x3, 0x2, 0x2, 0x2, 0x292, 
    0x296, 0x3, 0x2, 0x2, 0x2, 0x293, 0x295, 0x5, 0x66, 0x34, 0x2, 0x294, 
    0x293, 0x3, 0x2, 0x2, 0x2, 0x295, 0x298, 0x3, 0x2, 0x2, 0x2, 0x296, 
    0x294, 0x3, 0x2, 0x2, 0x2, 0x296, 0x297, 0x3, 0x2, 0x2, 0x2, 0x297, 
    0x2b4, 0x3, 0x2, 0x2, 0x2, 0x298, 0x296, 0x3, 0x2, 0x2, 0x2, 0x299, 
    0x29e, 0x5, 0x64, 0x33, 0x2, 0x29a, 0x29b, 0x7, 0x56, 0x2, 0x2, 0x29b, 
    0x29c, 0x5, 0x3e, 0x20, 0x2, 0x29c, 0x29d, 0x7, 0x57, 0x2, 0x2, 0x29d, 
    0x29f, 0x3, 0x2, 0x2, 0x2, 0x29e, 0x29a, 0x3, 0x2, 0x2, 0x2, 0x29e, 
    0x29f, 0x3, 0x2, 0x2, 0x2, 0x29f, 0x2b4, 0x3, 0x2, 0x2, 0x2, 0x2a0, 
    0x2a1, 0x7, 0x21, 0x2, 0x2, 0x2a1, 0x2aa, 0x7, 0x54, 0x2, 0x2, 0x2a2, 
    0x2a7, 0x5, 0x3e, 0x20, 0x2, 0x2a3, 0x2a4, 0x7, 0x52, 0x2, 0x2, 0x2a4, 
    0x2a6, 0x5, 0x3e, 0x20, 0x2, 0x2a5, 0x2a3, 0x3, 0x2, 0x2, 0x2, 0x2a6, 
    0x2a9, 0x3, 0x2, 0x2, 0x2, 0x2a7, 0x2a5, 0x3, 0x2, 0x2, 0x2, 0x2a7, 
    0x2a8, 0x3, 0x2, 0x2, 0x2, 0x2a8, 0x2ab, 0x3, 0x2, 0x2, 0x2, 0x2a9, 
    0x2a7, 0x3, 0x2, 0x2, 0x2, 0x2aa, 0x2a2, 0x3, 0x2, 0x2, 0x2, 0x2aa, 
    0x2ab, 0x3, 0x2, 0x2, 0x2, 0x2ab, 0x2ac, 0x3, 0x2, 0x2, 0x2, 0x2ac, 
    0x2b0, 0x7, 0x55, 0x2, 0x2, 0x2ad, 0x2af, 0x5, 0x66, 0x34, 0x2, 0x2ae, 
    0x2ad, 0x3, 0x2, 0x2, 0x2, 0x2af, 0x2b2, 0x3, 0x2, 0x2, 0x2, 0x2b0, 
    0x2ae, 0x3, 0x2, 0x2, 0x2, 0x2b0, 0x2b1, 0x3, 0x2, 0x2, 0x2, 0x2b1, 
    0x2b4, 0x3, 0x2, 0x2, 0x2, 0x2b2, 0x2b0, 0x3, 0x2, 0x2, 0x2, 0x2b3, 
    0x26e, 0x3, 0x2, 0x2, 0x2, 0x2b3, 0x270, 0x3, 0x2, 0x2, 0x2, 0x2b3, 
    0x274, 0x3, 0x2, 0x2, 0x2, 0x2b3, 0x278, 0x3, 0x2, 0x2, 0x2, 0x2b3, 
    0x285, 0x3, 0x2, 0x2, 0x2, 0x2b3, 0x299, 0x3, 0x2, 0x2, 0x2, 0x2b3, 
    0x2a0, 0x3, 0x2, 0x2, 0x2, 0x2b4, 0x63, 0x3, 0x2, 0x2, 0x2, 0x2b5, 0x2b6, 
    0x9, 0xd, 0x2, 0x2, 0x2b6, 0x2b7, 0x7, 0x54, 0x2, 0x2, 0x2b7, 0x2bc, 
    0x5, 0x3e, 0x20, 0x2, 0x2b8, 0x2b9, 0x7, 0x52, 0x2, 0x2, 0x2b9, 0x2bb, 
    0x5, 0x3e, 0x20, 0x2, 0x2ba, 0x2b8, 0x3, 0x2, 0x2, 0x2, 0x2bb, 0x2be, 
    0x3, 0x2, 0x2, 0x2, 0x2bc, 0x2ba, 0x3, 0x2, 0x2, 0x2, 0x2bc, 0x2bd, 
    0x3, 0x2, 0x2, 0x2, 0x2bd, 0x2bf, 0x3, 0x2, 0x2, 0x2, 0x2be, 0x2bc, 
    0x3, 0x2, 0x2, 0x2, 0x2bf, 0x2c0, 0x7, 0x55, 0x2, 0x2, 0x2c0, 0x65, 
    0x3, 0x2, 0x2, 0x2, 0x2c1, 0x2c2, 0x7, 0x2c, 0x2, 0x2, 0x2c2, 0x2c8, 
    0x5, 0x68, 0x35, 0x2, 0x2c3, 0x2c4, 0x7, 0x56, 0x2, 0x2, 0x2c4, 0x2c5, 
    0x5, 0x3e, 0x20, 0x2, 0x2c5, 0x2c6, 0x7, 0x57, 0x2, 0x2, 0x2c6, 0x2c8, 
    0x3, 0x2, 0x2, 0x2, 0x2c7, 0x2c1, 0x3, 0x2, 0x2, 0x2, 0x2c7, 0x2c3, 
    0x3, 0x2, 0x2, 0x2, 0x2c8, 0x67, 0x3, 0x2, 0x2, 0x2, 0x2c9, 0x2ca, 0x9, 
    0xe, 0x2, 0x2, 0x2ca, 0x69, 0x3, 0x2, 0x2, 0x2, 0x65, 0x6d, 0x77, 0x7c, 
    0x84, 0x88, 0x90, 0x94, 0x96, 0x9a, 0x9f, 0xa2, 0xa6, 0xa9, 0xaf, 0xb1, 
    0xb4, 0xba, 0xc2, 0xc5, 0xca, 0xce, 0xd3, 0xd8, 0xe3, 0xe9, 0xf2, 0xfa, 
    0x100, 0x108, 0x111, 0x119, 0x11e, 0x125, 0x12a, 0x130, 0x136, 0x13f, 
    0x144, 0x147, 0x14d, 0x14f, 0x157, 0x165, 0x170, 0x174, 0x178, 0x184, 
    0x188, 0x18c, 0x190, 0x193, 0x198, 0x1a0, 0x1a7, 0x1a9, 0x1ad, 0x1b0, 
    0x1b6, 0x1b9, 0x1bd, 0x1c6, 0x1cb, 0x1cf, 0x1da, 0x1df, 0x1e2, 0x1e6, 
    0x1ed, 0x1f5, 0x1fc, 0x204, 0x20c, 0x214, 0x21c, 0x222, 0x22a, 0x231, 
    0x235, 0x239, 0x240, 0x248, 0x250, 0x258, 0x260, 0x268, 0x26c, 0x272, 
    0x27f, 0x282, 0x28c, 0x291, 0x296, 0x29e, 0x2a7, 0x2aa, 0x2b0, 0x2b3, 
    0x2bc, 0x2c7, 
  };

  atn::ATNDeserializer deserializer;
  _atn = deserializer.deserialize(_serializedATN);

  size_t count = _atn.getNumberOfDecisions();
  _decisionToDFA.reserve(count);
  for (size_t i = 0; i < count; i++) { 
    _decisionToDFA.emplace_back(_atn.getDecisionState(i), i);
  }
}

StapParser::Initializer StapParser::_init;
