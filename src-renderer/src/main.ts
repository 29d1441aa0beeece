import { mount } from 'svelte'
import { connectToHost } from './api/connect'
import App from './App.svelte'
import Unconnected from './components/Unconnected.svelte'
import { notifications } from './state/notifications.svelte'
import { theme } from './state/theme.svelte'
import './styles.css'

const target = document.getElementById('app')
if (!target) throw new Error('missing #app')
theme.init()
notifications.init()
const connection = connectToHost()
if (connection.ok) mount(App, { target, props: { client: connection.client } })
else mount(Unconnected, { target, props: { reason: connection.reason } })
