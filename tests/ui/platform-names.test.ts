import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../domain/platforms.js';
import { codes, platformNames } from '../../ui/src/i18n/messages.js';

/** How the pages name a channel (`platform()` in ui/src/i18n/locale.tsx), in each language. */
const channelName = (language: 'zh' | 'en', platform: string) =>
  platformNames[language][platform] ?? codes[language][platform];

describe('channel names on the pages', () => {
  it.each(['zh', 'en'] as const)('every channel the API knows has a name in %s', (language) => {
    const unnamed = PLATFORMS.filter((p) => !channelName(language, p));
    expect(unnamed).toEqual([]);
  });

  it('唯品会 is the channel vip; the VIP order flag keeps its own word', () => {
    expect(channelName('zh', 'vip')).toBe('唯品会');
    expect(codes.zh.vip).toBe('VIP');
    expect(channelName('zh', 'dewu')).toBe('得物');
  });
});
