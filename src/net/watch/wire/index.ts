// The wire codec of watching a live game (protocols/watch.md): the game's topic and its messages,
// the catch-up stream's messages, limits and names. Pure like src/wire: no libp2p node, no clock.
export * from './limits.js'
export { WATCH_PROTOCOL, WATCH_TOPIC_PREFIX, watchTopic, isWatchTopic, gameOfWatchTopic } from './topic.js'
export { WatchMessageError, WATCH_VERDICTS, refusalOf, pathOf, type WatchMessageReason, type WatchRefusal, type WatchVerdict } from './errors.js'
export { decodeWatchedAct, verifyWatchedAct, type WatchedAct, type Players } from './acts.js'
export { CHAT_DOMAIN, checkChat, decodeWatchChat, encodeWatchChat, type WatchChat, type UnsignedWatchChat, type ChatContext } from './chat.js'
export { decodeTopicMessage, checkTopicMessage, type TopicMessage, type TopicContext } from './topic-message.js'
export { watchMessageId } from './message-id.js'
export {
  encodeWatchRequest, decodeWatchRequest, encodeWatchStart, encodeWatchActs, encodeWatchActsFrames, encodeWatchEnd, encodeWatchRefused,
  decodeWatchAnswer, checkWatchAnswer,
  type WatchRequest, type WatchStart, type WatchActs, type WatchEnd, type WatchRefused, type WatchRefusedReason, type WatchAnswer, type AnswerContext
} from './messages.js'
