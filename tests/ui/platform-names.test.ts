import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../domain/platforms.js';
import { channelNames } from '../../ui/src/i18n/channels.js';

/** How the pages name a channel (`platform()` in ui/src/i18n/locale.tsx), in each language. */
const channelName = (language: 'zh' | 'en', platform: string) => channelNames[language][platform];

describe('channel names on the pages', () => {
  it.each(['zh', 'en'] as const)('every channel the API knows has a name in %s', (language) => {
    const unnamed = PLATFORMS.filter((p) => !channelName(language, p));
    expect(unnamed).toEqual([]);
  });

  it('唯品会 is the channel vip (the VIP order flag keeps its own word among the other codes)', () => {
    expect(channelName('zh', 'vip')).toBe('唯品会');
    expect(channelName('zh', 'dewu')).toBe('得物');
    expect(channelName('en', 'vip')).toBe('VIP.com');
  });

  it('the VIP order flag reads VIP in both languages, not the channel', () => {
    // messages.ts spreads the channel names under the other codes; the flag's own word comes after.
    const source = readFileSync('ui/src/i18n/messages.ts', 'utf8');
    const flags = [...source.matchAll(/^ {4}vip: '([^']*)',$/gm)].map((m) => m[1]);
    expect(flags).toEqual(['VIP', 'VIP']);
    expect(source.indexOf('...channelNames.zh')).toBeLessThan(source.indexOf("    vip: 'VIP',"));
  });
});
