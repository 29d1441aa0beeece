// Light, dark, or whatever the system prefers; remembered per app origin. The resolved theme is
// put on <html> at once (not in a later effect), so components that read theme colours from CSS
// when the theme changes (the terminals) read the new ones.
export type ThemeChoice = 'system' | 'light' | 'dark'

const KEY = 'tether.theme'

class Theme {
  choice = $state<ThemeChoice>('system')
  #systemDark = $state(false)
  resolved = $derived<'light' | 'dark'>(this.choice === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.choice)

  init(): void {
    const saved = localStorage.getItem(KEY)
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved
    const query = window.matchMedia('(prefers-color-scheme: dark)')
    this.#systemDark = query.matches
    query.addEventListener('change', (event) => {
      this.#systemDark = event.matches
      this.#apply()
    })
    this.#apply()
  }

  set(choice: ThemeChoice): void {
    this.choice = choice
    localStorage.setItem(KEY, choice)
    this.#apply()
  }

  cycle(): void {
    this.set(this.choice === 'system' ? (this.#systemDark ? 'light' : 'dark') : this.choice === 'dark' ? 'light' : 'system')
  }

  #apply(): void {
    document.documentElement.dataset.theme = this.resolved
  }
}

export const theme = new Theme()
